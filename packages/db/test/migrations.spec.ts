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

  it('bring people already in the map over as active, each with a first history row', async () => {
    // Back to just before the people map's history, with someone in it.
    const executed = async () => ((await ds.query(`SELECT name FROM migrations`)) as Array<{ name: string }>).map((m) => m.name);
    while ((await executed()).includes('PeopleMapHistory1764370000000')) await ds.undoLastMigration({ transaction: 'each' });
    const [segment] = await ds.query(`INSERT INTO segments (key, name, touch_model) VALUES ('m-test', 'M', 'tech') RETURNING id`);
    const [account] = await ds.query(`INSERT INTO accounts (name, domain, segment_id) VALUES ('M', 'm.example', $1) RETURNING id`, [segment.id]);
    const [person] = await ds.query(`INSERT INTO stakeholders (account_id, name, email, role) VALUES ($1, 'Dana', 'Dana@M.example', 'champion') RETURNING id`, [account.id]);
    try {
      await migrate(ds);
      expect(await ds.query(`SELECT status, is_primary, left_at FROM stakeholders WHERE id = $1`, [person.id])).toEqual([{ status: 'active', is_primary: false, left_at: null }]);
      const changes = await ds.query(`SELECT kind, before, after, changed_by FROM stakeholder_changes WHERE stakeholder_id = $1`, [person.id]);
      expect(changes).toEqual([
        {
          kind: 'created',
          before: null,
          after: { name: 'Dana', email: 'Dana@M.example', role: 'champion', title: null, phone: null, status: 'active', isPrimary: false, leftAt: null },
          changed_by: 'integration:cairn',
        },
      ]);
      // The same address in another case is the same person.
      await expect(ds.query(`INSERT INTO stakeholders (account_id, name, email, role) VALUES ($1, 'Dana W', 'dana@m.example', 'user')`, [account.id])).rejects.toThrow(/stakeholders_account_email_key/);
    } finally {
      await ds.query(`DELETE FROM accounts WHERE id = $1`, [account.id]);
      await ds.query(`DELETE FROM segments WHERE id = $1`, [segment.id]);
    }
  });

  it('allow one running run per (playbook, account)', async () => {
    const index = await ds.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'runs_one_active_per_account'`);
    expect(index[0].indexdef).toContain("WHERE (status = 'running'::text)");
  });
});
