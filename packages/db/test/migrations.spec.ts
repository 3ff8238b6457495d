import { createDataSource, migrate } from '../src/data-source';

/**
 * The schema comes from migrations only. This checks, against a real Postgres, that migrations
 * apply, revert and re-apply cleanly, and that the entities describe exactly the migrated schema
 * (no table or column for TypeORM to synchronise): a new column in an entity without a migration fails here.
 */
describe('migrations', () => {
  const ds = createDataSource(process.env.DATABASE_URL);

  beforeAll(async () => {
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
  });

  it('apply, revert and re-apply', async () => {
    const applied = await migrate(ds);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrate(ds)).toEqual([]);
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect((await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'runs'`))[0].n).toBe(0);
    expect(await migrate(ds)).toEqual(applied);
  });

  it('define every table and column the entities use, with the same types', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    // Constraint and index names are the migration's own (TypeORM would rename them), so only
    // table and column differences count as drift.
    const drift = pending.upQueries.map((q) => q.query).filter((sql) => /CREATE TABLE|DROP TABLE|ADD "|DROP COLUMN|ALTER COLUMN/.test(sql));
    expect(drift).toEqual([]);
  });

  it('allow one running run per (playbook, account)', async () => {
    const index = await ds.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'runs_one_active_per_account'`);
    expect(index[0].indexdef).toContain("WHERE (status = 'running'::text)");
  });
});
