// @ts-check
// The Temporal CLI, whose `server start-dev` is the local Temporal cluster for `npm start` and the
// integration tests. Built from its Go module (nothing downloads binaries at run time).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run, which } from './exec.mjs';
import { done, withProgress } from './log.mjs';
import { CACHE_DIR } from './paths.mjs';
import { canConnect, eachLine, reapStale, stopChild, writePidFile } from './processes.mjs';

/** Later tags carry a `replace` directive in go.mod, which `go install module@version` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** The CLI's go.mod asks for this Go version or newer. */
const MIN_GO = [1, 25];

const HOW_TO_GET_IT =
  '  Install Go 1.25 or newer (https://go.dev/dl/) so Cairn can build it once,\n' +
  '  or put a `temporal` CLI binary on PATH (https://docs.temporal.io/cli),\n' +
  '  or set TEMPORAL_ADDRESS to an existing Temporal cluster (host:port).';

/** Where the built CLI is cached: `$CAIRN_CACHE_DIR/temporal-cli/<version>/temporal`. */
export function cachedTemporalCliPath() {
  return join(CACHE_DIR, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

/**
 * Finds or builds the Temporal CLI; null when TEMPORAL_ADDRESS names a cluster to use instead.
 * Order: TEMPORAL_ADDRESS → CAIRN_TEMPORAL_CLI → `temporal` on PATH → the cache → `go install`
 * into the cache → an error saying what to install.
 * @returns {Promise<string | null>}
 */
export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_ADDRESS) return null;
  const given = process.env.CAIRN_TEMPORAL_CLI;
  if (given) {
    if (existsSync(given)) return given;
    throw new Error(`CAIRN_TEMPORAL_CLI is set to ${given}, which does not exist.`);
  }
  const onPath = which('temporal');
  if (onPath) return onPath;
  const cached = cachedTemporalCliPath();
  if (existsSync(cached)) return cached;
  await buildTemporalCli(cached);
  return cached;
}

/**
 * `go install` into a scratch directory, then rename into place: an interrupted build never
 * leaves a half-written binary where the next run would trust it.
 * @param {string} target
 */
async function buildTemporalCli(target) {
  checkGo();
  const parent = dirname(dirname(target));
  mkdirSync(parent, { recursive: true });
  const scratch = mkdtempSync(join(parent, '.build-'));
  try {
    await withProgress(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (once, into ${parent}; takes a few minutes)`, () =>
      run('go', ['install', '-trimpath', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { env: { ...process.env, GOBIN: scratch, GOFLAGS: '' } }),
    );
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(scratch, 'temporal'), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  done(`Temporal CLI built: ${target}`);
}

/** Throws the what-to-install message unless a new enough `go` is on PATH. */
function checkGo() {
  if (!which('go')) throw new Error(`Cairn needs the Temporal CLI and cannot build it: Go is not installed.\n${HOW_TO_GET_IT}`);
  const version = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim(); // e.g. go1.26.8
  const [major, minor] = (/^go(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new Error(`Cairn needs the Temporal CLI and cannot build it: ${version} is too old.\n${HOW_TO_GET_IT}`);
  }
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once the `default` namespace
 * answers. With `dbFile`, workflow state persists across restarts; without, it is in memory.
 * Without `uiPort`, the web UI is off (--headless). `pidFile` lets a later run stop a server left
 * behind by a killed one. `detached` gives it a process group of its own (see ProcessGroup).
 * @param {{ bin: string, port: number, uiPort?: number, dbFile?: string, logFile?: string, pidFile?: string,
 *   detached?: boolean, onLine?: (line: string) => void, timeoutMs?: number }} options
 * @returns {Promise<{ address: string, uiUrl: string | null, stop: () => Promise<void> }>}
 */
export async function startTemporalDevServer({ bin, port, uiPort, dbFile, logFile, pidFile, detached = false, onLine, timeoutMs = 60_000 }) {
  if (pidFile) await reapStale(pidFile, { marker: 'start-dev', log: onLine });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--log-level', 'warn'];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  if (dbFile) {
    mkdirSync(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
  if (pidFile) writePidFile(pidFile, child.pid);
  const tail = captureOutput(child, logFile, onLine);
  const onExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.on('exit', onExit); // last resort: never leave a server behind when we exit
  const stop = async () => {
    process.off('exit', onExit);
    await stopChild(child);
    if (pidFile) rmSync(pidFile, { force: true });
  };

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(bin, child, address, port, timeoutMs, tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, uiUrl: uiPort ? `http://localhost:${uiPort}` : null, stop };
}

/**
 * Keeps the server's last 30 output lines (for errors), appends all to `logFile`, passes each to `onLine`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string | undefined} logFile
 * @param {((line: string) => void) | undefined} onLine
 */
function captureOutput(child, logFile, onLine) {
  /** @type {string[]} */
  const tail = [];
  const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  child.once('exit', () => file?.end());
  const keep = (/** @type {string} */ line) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    file?.write(`${line}\n`);
    onLine?.(line);
  };
  eachLine(child.stdout, keep);
  eachLine(child.stderr, keep);
  return tail;
}

/**
 * @param {string} bin
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} address
 * @param {number} port
 * @param {number} timeoutMs
 * @param {string[]} tail
 */
async function waitUntilServing(bin, child, address, port, timeoutMs, tail) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The Temporal dev server exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`}):\n${tail.join('\n')}`);
    }
    if ((await canConnect(port)) && (await namespaceReady(bin, address))) return;
    if (Date.now() > deadline) throw new Error(`The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000}s:\n${tail.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Ready means the `default` namespace can be described (the port opens a little earlier).
 * @param {string} bin
 * @param {string} address
 */
async function namespaceReady(bin, address) {
  try {
    await run(bin, ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', address, '--command-timeout', '5s']);
    return true;
  } catch {
    return false;
  }
}
