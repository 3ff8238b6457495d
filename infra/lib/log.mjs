// @ts-check
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (/** @type {number} */ code) => (/** @type {string} */ text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** @param {string} message */
export function step(message) {
  console.log(`${cyan('›')} ${message}`);
}

/** @param {string} message */
export function done(message) {
  console.log(`${green('✓')} ${message}`);
}

/** @param {string} message */
export function warn(message) {
  console.warn(`${yellow('!')} ${message}`);
}

/**
 * Runs a long task while printing its elapsed time, so a multi-minute build never looks hung.
 * @template T
 * @param {string} label
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
export async function withProgress(label, task) {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
  step(`${label}…`);
  const timer = setInterval(() => console.log(dim(`  still ${label.toLowerCase()} (${elapsed()})`)), 15_000);
  try {
    const result = await task();
    done(`${label} (${elapsed()})`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
