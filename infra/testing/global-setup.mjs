// @ts-check
// Jest globalSetup for integration suites: starts the real services a suite asks for in its jest
// config (`globals: { cairnServices: ['postgres', 'temporal', 'test-server'] }`) on free ports and
// exports their addresses through process.env, which the test workers inherit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../lib/free-port.mjs';
import { createDatabaseIfMissing, startPostgres } from '../lib/postgres.mjs';
import { ensureTemporalCli, startTemporalDevServer } from '../lib/temporal-cli.mjs';
import { ensureTestServer } from '../lib/test-server.mjs';

/**
 * @param {unknown} _globalConfig
 * @param {{ globals?: { cairnServices?: string[] } }} projectConfig
 */
export default async function globalSetup(_globalConfig, projectConfig) {
  const wanted = new Set(projectConfig.globals?.cairnServices ?? ['postgres', 'temporal', 'test-server']);
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  /** @type {any} */ (globalThis).__cairnStops = stops;

  if (wanted.has('postgres')) {
    if (process.env.DATABASE_URL) {
      // Use the given server, but a fresh database so tests never touch real data.
      const url = new URL(process.env.DATABASE_URL);
      const database = `cairn_test_${Date.now().toString(36)}_${process.pid}`;
      const admin = new URL(url);
      admin.pathname = '/postgres';
      await createDatabaseIfMissing(admin.toString(), database);
      url.pathname = `/${database}`;
      process.env.DATABASE_URL = url.toString();
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'cairn-pg-'));
      const postgres = await startPostgres({ dataDir, port: await freePort() });
      process.env.DATABASE_URL = postgres.url;
      stops.push(async () => {
        await postgres.stop();
        const { rmSync } = await import('node:fs');
        rmSync(dataDir, { recursive: true, force: true });
      });
    }
  }

  if (wanted.has('temporal') && !process.env.TEMPORAL_ADDRESS) {
    const bin = await ensureTemporalCli();
    if (bin) {
      const server = await startTemporalDevServer({ bin, port: await freePort() });
      process.env.TEMPORAL_ADDRESS = server.address;
      stops.push(server.stop);
    }
  }
  process.env.TEMPORAL_NAMESPACE ??= 'default';

  if (wanted.has('test-server')) process.env.CAIRN_TEST_SERVER_PATH = await ensureTestServer();
}
