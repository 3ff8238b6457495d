// @ts-check
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { bold, red } from './log.mjs';

const COLOURS = [36, 35, 33, 32, 34, 96];

/**
 * Long-running children with prefixed output and one shutdown path.
 */
export class ProcessGroup {
  /** @type {Array<{ name: string, child: import('node:child_process').ChildProcess }>} */
  children = [];
  /** @type {Array<{ name: string, stop: () => Promise<void> }>} */
  services = [];
  stopping = false;

  /**
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [options]
   */
  spawn(name, command, args, options = {}) {
    const colour = COLOURS[this.children.length % COLOURS.length];
    const prefix = process.stdout.isTTY ? `\x1b[${colour}m[${name}]\x1b[0m ` : `[${name}] `;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (/** @type {NodeJS.WriteStream} */ out) => {
      let buffered = '';
      return (/** @type {Buffer} */ chunk) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) out.write(`${prefix}${line}\n`);
      };
    };
    child.stdout?.on('data', relay(process.stdout));
    child.stderr?.on('data', relay(process.stderr));
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      console.error(red(`\n${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`));
      void this.stopAll(1);
    });
    this.children.push({ name, child });
    return child;
  }

  /**
   * A started service (Postgres, Temporal…) to stop after the children.
   * @param {string} name
   * @param {() => Promise<void>} stop
   */
  addService(name, stop) {
    this.services.push({ name, stop });
  }

  /** Stops children newest first (SIGTERM, then SIGKILL after 10 s), then services, then exits. */
  async stopAll(exitCode = 0) {
    if (this.stopping) return;
    this.stopping = true;
    console.log(bold('\nStopping Cairn…'));
    for (const { child } of [...this.children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await new Promise((resolve) => child.once('exit', resolve));
      clearTimeout(killer);
    }
    for (const { name, stop } of [...this.services].reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`could not stop ${name}: ${error instanceof Error ? error.message : error}`);
      }
    }
    process.exit(exitCode);
  }

  /** Ctrl-C and termination both go through stopAll. */
  handleSignals() {
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => void this.stopAll(0));
  }
}

/**
 * Resolves once `url` answers with a 2xx, or rejects after `timeoutMs`.
 * @param {string} url
 * @param {number} [timeoutMs]
 */
export async function waitForHttp(url, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * True when something already listens on the port.
 * @param {number} port
 */
export function portInUse(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
