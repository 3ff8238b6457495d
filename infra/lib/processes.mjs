// @ts-check
// Long-running children with prefixed output, readiness checks, and one ordered shutdown path.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { bold, messageOf, prefix, red } from './log.mjs';

/** Grace period between SIGTERM and SIGKILL: `CAIRN_STOP_TIMEOUT_MS`, default 10 s. */
export const STOP_TIMEOUT_MS = Number(process.env.CAIRN_STOP_TIMEOUT_MS ?? 10_000);

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `onLine` for each complete line a stream produces (and the unterminated tail at its end).
 * @param {NodeJS.ReadableStream | null | undefined} stream
 * @param {(line: string) => void} onLine
 */
export function eachLine(stream, onLine) {
  if (!stream) return;
  let buffered = '';
  stream.on('data', (/** @type {Buffer} */ chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => buffered && onLine(buffered));
}

/**
 * A writer of `[name] line` lines to stdout or stderr.
 * @param {string} name
 * @param {NodeJS.WriteStream} [out]
 */
export function prefixed(name, out = process.stdout) {
  const tag = prefix(name);
  return (/** @type {string} */ line) => out.write(`${tag}${line}\n`);
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Signals a child's whole process group when it leads one (spawned detached), so wrappers such as
 * npx take their children with them; falls back to the process itself.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
export function signalTree(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a process: `signal`, then SIGKILL after `graceMs`. Resolves once it has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options]
 */
export async function stopChild(child, { signal = 'SIGTERM', graceMs = STOP_TIMEOUT_MS } = {}) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const pid = child.pid;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalTree(pid, signal);
  const killer = setTimeout(() => signalTree(pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(killer);
}

/**
 * A pid file's process, if it is still alive and its command line contains `marker` (guards
 * against the pid having been reused by an unrelated process).
 * @param {string} pidFile
 * @param {string} marker
 * @returns {number | null}
 */
export function livePid(pidFile, marker) {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0].trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  const ps = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 && ps.stdout.includes(marker) ? pid : null;
}

/**
 * Stops a process left running by an earlier, killed run (its pid file names it), then removes the
 * pid file. Without this, a `kill -9` of `npm start` leaves ports taken and the next start fails.
 * @param {string} pidFile
 * @param {{ marker: string, signal?: NodeJS.Signals, graceMs?: number, log?: (line: string) => void }} options
 */
export async function reapStale(pidFile, { marker, signal = 'SIGTERM', graceMs = STOP_TIMEOUT_MS, log }) {
  const pid = livePid(pidFile, marker);
  if (pid) {
    log?.(`stopping process ${pid} left running by an earlier run`);
    signalTree(pid, signal);
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signalTree(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  rmSync(pidFile, { force: true });
}

/**
 * @param {string} pidFile
 * @param {number | undefined} pid
 */
export function writePidFile(pidFile, pid) {
  if (!pid) return;
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${pid}\n`);
}

/**
 * Children (api, worker, web…) and services (Postgres, Temporal, mail sink) of `npm start`, with a
 * single shutdown path: children newest first (SIGTERM, SIGKILL after a grace period), then
 * services newest first, then exit. Children run in process groups of their own (detached), so a
 * Ctrl-C reaches only us and the order holds: the API stops before the database it talks to.
 */
export class ProcessGroup {
  /** @type {Array<{ name: string, child: import('node:child_process').ChildProcess, pidFile?: string }>} */
  children = [];
  /** @type {Array<{ name: string, stop: () => Promise<void> }>} */
  services = [];
  stopping = false;

  constructor() {
    // Last resort if we exit without stopAll (an uncaught error): signals are synchronous.
    process.on('exit', () => {
      for (const { child } of this.children) if (child.exitCode === null && child.pid) signalTree(child.pid, 'SIGKILL');
    });
  }

  /**
   * Starts a long-running child whose output lines are prefixed `[name]`.
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, pidFile?: string }} [options]
   */
  spawn(name, command, args, options = {}) {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    eachLine(child.stdout, prefixed(name, process.stdout));
    eachLine(child.stderr, prefixed(name, process.stderr));
    if (options.pidFile) writePidFile(options.pidFile, child.pid);
    child.on('error', (error) => this.#unexpected(name, `could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.#unexpected(name, `stopped unexpectedly (${signal ?? `exit code ${code}`})`));
    this.children.push({ name, child, pidFile: options.pidFile });
    return child;
  }

  /**
   * A started service to stop after the children.
   * @param {string} name
   * @param {() => Promise<void>} stop
   */
  addService(name, stop) {
    this.services.push({ name, stop });
  }

  /**
   * @param {string} name
   * @param {string} what
   */
  #unexpected(name, what) {
    if (this.stopping) return;
    console.error(red(`\n[${name}] ${what}; stopping everything.`));
    void this.stopAll(1);
  }

  /** Stops everything in reverse start order, then exits with `exitCode`. @param {number} [exitCode] */
  async stopAll(exitCode = 0) {
    if (this.stopping) return;
    this.stopping = true;
    console.log(bold('\nStopping Cairn…'));
    for (const { name, child, pidFile } of [...this.children].reverse()) {
      await stopChild(child);
      if (pidFile) rmSync(pidFile, { force: true });
      console.log(`  stopped ${name}`);
    }
    for (const { name, stop } of [...this.services].reverse()) {
      try {
        await stop();
        console.log(`  stopped ${name}`);
      } catch (error) {
        console.error(`  could not stop ${name}: ${messageOf(error)}`);
      }
    }
    process.exit(exitCode);
  }

  /** Ctrl-C, `kill` and a closed terminal all go through stopAll; a second Ctrl-C kills at once. */
  handleSignals() {
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
      process.on(signal, () => {
        if (!this.stopping) return void this.stopAll(0);
        console.error(red('Killing everything now.'));
        for (const { child } of this.children) if (child.pid) signalTree(child.pid, 'SIGKILL');
        process.exit(130);
      });
    }
  }
}

/**
 * Resolves once `url` answers 2xx; rejects after `timeoutMs`, or early when `alive()` turns false.
 * @param {string} url
 * @param {{ timeoutMs?: number, alive?: () => boolean }} [options]
 */
export async function waitForHttp(url, { timeoutMs = 120_000, alive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (!alive()) throw new Error(`${url} never answered: its process exited`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await sleep(500);
  }
}

/**
 * True when something accepts TCP connections on host:port.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<boolean>}
 */
export function canConnect(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once host:port accepts TCP connections.
 * @param {number} port
 * @param {{ host?: string, timeoutMs?: number, alive?: () => boolean }} [options]
 */
export async function waitForTcp(port, { host = '127.0.0.1', timeoutMs = 60_000, alive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port, host))) {
    if (!alive()) throw new Error(`${host}:${port} never accepted connections: its process exited`);
    if (Date.now() > deadline) throw new Error(`${host}:${port} did not accept connections within ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}

/**
 * Fails with a message naming the port, its use, and the variable that moves it.
 * @param {number} port
 * @param {string} what
 * @param {string} variable
 */
export async function requireFreePort(port, what, variable) {
  if (await canConnect(port)) {
    throw new Error(`Port ${port} (${what}) is already in use. Stop whatever listens there, or set ${variable} to another port.`);
  }
}
