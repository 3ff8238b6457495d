// @ts-check
// `npm run provision`: the tools builds and tests need (not the running services), into the cache
// outside git: the Temporal CLI (built from its Go module) and Temporal's Java time-skipping test
// server (jars from Maven Central). Safe to re-run: what is already there is reused.
import { which } from './lib/exec.mjs';
import { done, fail, messageOf, step } from './lib/log.mjs';
import { CACHE_DIR } from './lib/paths.mjs';
import { ensureTemporalCli } from './lib/temporal-cli.mjs';
import { ensureTestServer } from './lib/test-server.mjs';

/** @returns {Promise<{ cli: string | null, testServer: string }>} */
export async function provision() {
  step(`Provisioning build and test tools (cache: ${CACHE_DIR})`);
  for (const tool of ['go', 'java', 'mvn']) console.log(`  ${tool.padEnd(5)} ${which(tool) ?? 'not found'}`);
  const cli = await ensureTemporalCli();
  done(cli ? `Temporal CLI: ${cli}` : `Temporal CLI: not needed, TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}`);
  const testServer = await ensureTestServer();
  done(`Temporal test server: ${testServer}`);
  return { cli, testServer };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  provision().catch((error) => {
    fail(messageOf(error));
    process.exit(1);
  });
}
