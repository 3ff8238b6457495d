// @ts-check
// `npm test`: every project's lint, typecheck and tests, against real services (the integration
// suites start their own through infra/testing/global-setup.mjs). Extra arguments go to nx, e.g.
// `npm test -- --projects=api`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, nxEnv } from './lib/bootstrap.mjs';
import { ROOT } from './lib/paths.mjs';

// Node built-ins only up to here: everything below may need node_modules.
ensureDependencies();
const { provision } = await import('./provision.mjs');
const { fail, messageOf } = await import('./lib/log.mjs');

try {
  const { cli, testServer } = await provision();
  if (cli) process.env.CAIRN_TEMPORAL_CLI = cli;
  process.env.CAIRN_TEST_SERVER_PATH = testServer;
} catch (error) {
  fail(messageOf(error));
  process.exit(1);
}

/**
 * A hung test (a Temporal worker left polling by a failed test keeps jest, and so nx, alive) must
 * fail this run, not eat CI's whole budget: past `CAIRN_TEST_TIME_LIMIT_MINUTES` (default 75) the
 * run's whole process group is stopped and the run fails, saying so.
 */
const TIME_LIMIT_MINUTES = Number(process.env.CAIRN_TEST_TIME_LIMIT_MINUTES ?? 75);

/**
 * @param {number} minutes
 * @param {string} command
 * @param {string[]} commandArgs
 * @returns {Promise<number>}
 */
async function runWithin(minutes, command, commandArgs) {
  // Its own process group, so stopping it stops every task and test process under it.
  const child = spawn(command, commandArgs, { cwd: ROOT, env: nxEnv(), stdio: 'inherit', detached: true });
  const stopGroup = (/** @type {NodeJS.Signals} */ signal) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    console.error(`\nnpm test: still running after ${minutes} minutes; stopping it (a test left something running: see the last task's output above).`);
    stopGroup('SIGTERM');
    setTimeout(() => stopGroup('SIGKILL'), 10_000).unref();
  }, minutes * 60_000);
  // Ctrl-C reaches only us (the child leads its own group): pass it on.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => stopGroup(signal));
  const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
  clearTimeout(limit);
  return timedOut ? 1 : /** @type {number} */ (code);
}

// One task at a time: the integration suites each start Postgres, Temporal and a JVM, and the
// machine has two cores.
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--parallel=1', '--outputStyle=stream', '--skip-nx-cache', ...process.argv.slice(2)];
const resultsDir = join(ROOT, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
const status = await runWithin(TIME_LIMIT_MINUTES, 'npx', args);

// One closing line over every project's jest results (each test target writes its JSON there).
let passed = 0;
let failed = 0;
for (const file of existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : []) {
  try {
    const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  } catch {
    console.error(`unreadable test report: ${file}`);
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(status);
