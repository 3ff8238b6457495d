// @ts-check
// Jest globalSetup for integration suites: starts the real services a suite asks for in its jest
// config (`globals: { cairnServices: ['postgres', 'temporal', 'test-server'] }`, default all three)
// on free ports and exports their addresses through process.env, which jest's test workers inherit:
//   DATABASE_URL          a fresh embedded Postgres in a temp dir, or a fresh uniquely named
//                         database on the DATABASE_URL server when that is set
//   TEMPORAL_ADDRESS      an in-memory Temporal dev server, unless TEMPORAL_ADDRESS is set
//   TEMPORAL_NAMESPACE    'default' unless set
//   CAIRN_TEST_SERVER_PATH  launcher of Temporal's Java time-skipping test server
// global-teardown.mjs stops them (handles live on globalThis, shared by the two modules).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../lib/free-port.mjs';
import { createDatabaseIfMissing, dropDatabase, startPostgres } from '../lib/postgres.mjs';
import { ensureTemporalCli, startTemporalDevServer } from '../lib/temporal-cli.mjs';
import { ensureTestServer } from '../lib/test-server.mjs';

const ALL = ['postgres', 'temporal', 'test-server'];

/**
 * @param {unknown} _globalConfig
 * @param {{ globals?: { cairnServices?: string[] } }} [projectConfig]
 */
export default async function globalSetup(_globalConfig, projectConfig) {
  const wanted = new Set(projectConfig?.globals?.cairnServices ?? ALL);
  /** @type {Array<() => Promise<void>>} */
  const stops = [];
  /** @type {any} */ (globalThis).__cairnStops = stops;
  try {
    if (wanted.has('postgres')) stops.push(await setUpPostgres());
    if (wanted.has('temporal')) stops.push(await setUpTemporal());
    process.env.TEMPORAL_NAMESPACE ??= 'default';
    if (wanted.has('test-server')) process.env.CAIRN_TEST_SERVER_PATH = await ensureTestServer();
  } catch (error) {
    // Jest skips globalTeardown when setup throws: stop what did start.
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

/** @returns {Promise<() => Promise<void>>} */
async function setUpPostgres() {
  const given = process.env.DATABASE_URL;
  if (given) {
    // The given server, but a fresh database, so tests never touch real data.
    const database = `cairn_test_${Date.now().toString(36)}_${process.pid}`;
    const admin = new URL(given);
    admin.pathname = '/postgres';
    await createDatabaseIfMissing(admin.toString(), database);
    const url = new URL(given);
    url.pathname = `/${database}`;
    process.env.DATABASE_URL = url.toString();
    return async () => {
      await dropDatabase(admin.toString(), database);
      process.env.DATABASE_URL = given;
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-pg-'));
  const postgres = await startPostgres({ dataDir, port: await freePort() });
  process.env.DATABASE_URL = postgres.url;
  return async () => {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
  };
}

/** @returns {Promise<() => Promise<void>>} */
async function setUpTemporal() {
  if (process.env.TEMPORAL_ADDRESS) return async () => {};
  const bin = await ensureTemporalCli();
  if (!bin) return async () => {};
  const server = await startTemporalDevServer({ bin, port: await freePort() }); // in memory, no UI
  process.env.TEMPORAL_ADDRESS = server.address;
  return async () => {
    await server.stop();
    delete process.env.TEMPORAL_ADDRESS;
  };
}
