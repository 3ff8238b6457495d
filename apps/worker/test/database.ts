import { createDataSource, migrate } from '@cairn/db';
import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 7_364_001;

/**
 * A data source on the suite's database, migrated. Test files run in parallel jest workers on one
 * fresh database: a Postgres advisory lock lets one of them migrate at a time.
 */
export async function migratedDataSource(): Promise<DataSource> {
  const ds = await createDataSource(process.env.DATABASE_URL).initialize();
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(ds);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
  return ds;
}
