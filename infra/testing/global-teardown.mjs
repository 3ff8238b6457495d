// @ts-check
/** Jest globalTeardown: stops what global-setup.mjs started, newest first, and removes its temp dirs. */
export default async function globalTeardown() {
  /** @type {Array<() => Promise<void>>} */
  const stops = /** @type {any} */ (globalThis).__cairnStops ?? [];
  /** @type {any} */ (globalThis).__cairnStops = [];
  /** @type {unknown[]} */
  const errors = [];
  for (const stop of stops.reverse()) await stop().catch((error) => errors.push(error));
  if (errors.length) throw errors[0];
}
