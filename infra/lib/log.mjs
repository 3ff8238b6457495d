// @ts-check
// Progress output for the infra scripts. Colour only on a terminal (and never with NO_COLOR), so CI
// logs and piped output stay plain text.

const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (/** @type {number} */ code) => (/** @type {string} */ text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** Prefix colours for child processes, handed out in order of first use. */
const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93];
/** @type {Map<string, number>} */
const assigned = new Map();

/**
 * `[name] ` in a colour of its own (stable per name within a run).
 * @param {string} name
 */
export function prefix(name) {
  if (!assigned.has(name)) assigned.set(name, PALETTE[assigned.size % PALETTE.length]);
  return `${paint(/** @type {number} */ (assigned.get(name)))(`[${name}]`)} `;
}

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

/** @param {string} message */
export function fail(message) {
  console.error(`${red('✗')} ${message}`);
}

/** @param {number} ms */
export function seconds(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Runs a long task (Go build, Maven fetch, Nx build) while printing "still …" lines with the
 * elapsed time every `CAIRN_PROGRESS_INTERVAL` seconds (default 15), so it never looks hung. Plain
 * lines rather than a redrawn spinner: they survive CI logs and interleave with child output.
 * @template T
 * @param {string} label what is happening, e.g. "Building the Temporal CLI"
 * @param {() => Promise<T>} task
 * @returns {Promise<T>}
 */
export async function withProgress(label, task) {
  const started = Date.now();
  const interval = Number(process.env.CAIRN_PROGRESS_INTERVAL ?? 15) * 1000;
  step(`${label}…`);
  const timer = setInterval(() => console.log(dim(`  still going… ${seconds(Date.now() - started)} (${label})`)), interval);
  try {
    const result = await task();
    done(`${label} (${seconds(Date.now() - started)})`);
    return result;
  } catch (error) {
    fail(`${label} failed after ${seconds(Date.now() - started)}`);
    throw error;
  } finally {
    clearInterval(timer);
  }
}

/** @param {unknown} error */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
