// @ts-check
// `npm test`: every project's lint, typecheck and tests, against real services.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies, nxEnv } from './lib/bootstrap.mjs';
import { ROOT } from './lib/paths.mjs';

ensureDependencies();
const { provision } = await import('./provision.mjs');

try {
  const { cli, testServer } = await provision();
  if (cli) process.env.CAIRN_TEMPORAL_CLI = cli;
  process.env.CAIRN_TEST_SERVER_PATH = testServer;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
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
for (const file of existsSync(resultsDir) ? readdirSync(resultsDir) : []) {
  const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(result.status ?? 1);
