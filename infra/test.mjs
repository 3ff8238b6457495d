// @ts-check
// `npm test`: every project's lint, typecheck and tests, against real services (the integration
// suites start their own through infra/testing/global-setup.mjs). Extra arguments go to nx, e.g.
// `npm test -- --projects=api`.
import { spawnSync } from 'node:child_process';
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

// One task at a time: the integration suites each start Postgres, Temporal and a JVM, and the
// machine has two cores.
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--parallel=1', '--outputStyle=stream', '--skip-nx-cache', ...process.argv.slice(2)];
const resultsDir = join(ROOT, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
const result = spawnSync('npx', args, { cwd: ROOT, env: nxEnv(), stdio: 'inherit' });

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
process.exit(result.status ?? 1);
