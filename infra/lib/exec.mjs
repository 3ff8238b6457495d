// @ts-check
// Run-to-completion commands (builds, migrations, tool probes).
import { spawn, spawnSync } from 'node:child_process';
import { eachLine } from './processes.mjs';

/**
 * Runs a command to completion. Output is captured (and the last lines put in the error when it
 * fails), shown as is (`inherit`), or passed line by line to `onLine` (e.g. a `[seed]` prefixer).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, inherit?: boolean, onLine?: (line: string) => void }} [options]
 * @returns {Promise<string>} its stdout (empty when inherited)
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: options.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    let out = '';
    /** @type {string[]} */
    const tail = [];
    const keep = (/** @type {string} */ line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLine?.(line);
    };
    child.stdout?.on('data', (chunk) => (out += chunk));
    eachLine(child.stdout, keep);
    eachLine(child.stderr, keep);
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(out);
      const shown = options.inherit || options.onLine ? '' : tail.join('\n').trim();
      reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})${shown ? `:\n${shown}` : ''}`));
    });
  });
}

/**
 * The absolute path of an executable on PATH, or null.
 * @param {string} name
 */
export function which(name) {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || null : null;
}
