// @ts-check
// `npm test`: every project's lint, typecheck and tests, against real services.
import { spawnSync } from 'node:child_process';
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
const result = spawnSync('npx', args, { cwd: ROOT, env: nxEnv(), stdio: 'inherit' });
process.exit(result.status ?? 1);
