// @ts-check
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { run, which } from './exec.mjs';
import { done, withProgress } from './log.mjs';
import { CACHE_DIR } from './paths.mjs';

/** Later tags carry a `replace` directive that `go install` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

/**
 * Finds or builds the Temporal CLI. Returns null when TEMPORAL_ADDRESS names a cluster to use instead.
 * Order: TEMPORAL_ADDRESS → `temporal` on PATH → the cache → build with Go → a clear error.
 * @returns {Promise<string | null>}
 */
export async function ensureTemporalCli() {
  if (process.env.TEMPORAL_ADDRESS) return null;
  if (process.env.CAIRN_TEMPORAL_CLI && existsSync(process.env.CAIRN_TEMPORAL_CLI)) return process.env.CAIRN_TEMPORAL_CLI;
  const onPath = which('temporal');
  if (onPath) return onPath;
  const dir = join(CACHE_DIR, 'temporal-cli', TEMPORAL_CLI_VERSION);
  const cached = join(dir, 'temporal');
  if (existsSync(cached)) return cached;
  if (!which('go')) {
    throw new Error(
      'Cairn needs the Temporal CLI and cannot build it: Go is not installed.\n' +
        '  Install Go 1.25+ (https://go.dev/dl/ or your package manager), or put a `temporal` binary on PATH,\n' +
        '  or set TEMPORAL_ADDRESS to an existing Temporal cluster.',
    );
  }
  mkdirSync(join(CACHE_DIR, 'temporal-cli'), { recursive: true });
  // Build into a scratch dir and rename, so an interrupted build never leaves a broken binary.
  const scratch = mkdtempSync(join(CACHE_DIR, 'temporal-cli', '.build-'));
  try {
    await withProgress(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} from its Go module (once; a few minutes)`, () =>
      run('go', ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { env: { ...process.env, GOBIN: scratch, GOFLAGS: '-trimpath' } }),
    );
    mkdirSync(dir, { recursive: true });
    renameSync(join(scratch, 'temporal'), cached);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  done(`Temporal CLI at ${cached}`);
  return cached;
}

/**
 * @param {string} host
 * @param {number} port
 */
function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `temporal server start-dev` and resolves once it answers.
 * @param {{ bin: string, port: number, uiPort?: number, dbFile?: string, logFile?: string, timeoutMs?: number }} options
 * @returns {Promise<{ address: string, uiUrl: string | null, stop: () => Promise<void> }>}
 */
export async function startTemporalDevServer({ bin, port, uiPort, dbFile, logFile, timeoutMs = 60_000 }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--log-level', 'warn'];
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (dbFile) args.push('--db-filename', dbFile);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {string[]} */
  const lastLines = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    lastLines.push(...chunk.toString().split('\n').filter(Boolean));
    lastLines.splice(0, Math.max(0, lastLines.length - 30));
  };
  const sink = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  child.stdout.on('data', (c) => (keep(c), sink?.write(c)));
  child.stderr.on('data', (c) => (keep(c), sink?.write(c)));
  let exited = false;
  child.on('exit', () => (exited = true));

  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    sink?.end();
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`The Temporal dev server exited while starting:\n${lastLines.join('\n')}`);
    if ((await canConnect('127.0.0.1', port)) && (await healthy(bin, address))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000}s:\n${lastLines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { address, uiUrl: uiPort ? `http://localhost:${uiPort}` : null, stop };
}

/**
 * The server is ready once its default namespace can be described.
 * @param {string} bin
 * @param {string} address
 */
async function healthy(bin, address) {
  try {
    await run(bin, ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', address]);
    return true;
  } catch {
    return false;
  }
}
