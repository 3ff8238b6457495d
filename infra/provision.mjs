// @ts-check
// Provisions the tools builds and tests need (not the running services): the Temporal CLI and
// Temporal's Java time-skipping test server, both into the cache outside git.
import { done } from './lib/log.mjs';
import { ensureTemporalCli } from './lib/temporal-cli.mjs';
import { ensureTestServer } from './lib/test-server.mjs';

export async function provision() {
  const cli = await ensureTemporalCli();
  done(cli ? `Temporal CLI: ${cli}` : `Temporal: using the cluster at ${process.env.TEMPORAL_ADDRESS}`);
  const testServer = await ensureTestServer();
  done(`Temporal test server: ${testServer}`);
  return { cli, testServer };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  provision().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
