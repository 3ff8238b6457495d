// @ts-check
/** Stops what global-setup.mjs started, newest first. */
export default async function globalTeardown() {
  /** @type {Array<() => Promise<void>>} */
  const stops = /** @type {any} */ (globalThis).__cairnStops ?? [];
  for (const stop of stops.reverse()) await stop();
}
