import { createDataSource, migrate } from '@cairn/db';
import { DataSource } from 'typeorm';
import { seedDemoWorkspace } from '../../src/seed/seed';

/** A database of a suite's own on the test Postgres server, migrated and seeded with the demo workspace. */
export interface SeededDatabase {
  /** Its connection URL (give it to the API as DATABASE_URL). */
  url: string;
  ds: DataSource;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

export async function seededDatabase(name: string): Promise<SeededDatabase> {
  const database = `cairn_api_${name}_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  const admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
  await admin.query(`CREATE DATABASE "${database}"`);
  const ds = await createDataSource(url.toString()).initialize();
  await migrate(ds);
  await seedDemoWorkspace(ds);
  return {
    url: url.toString(),
    ds,
    async drop() {
      await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
