import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, entities, migrations } from '../src/data-source';
import { repositories } from '../src/repositories';

/**
 * The account-fields migration against real Postgres, on a database of its own holding accounts
 * from before it: stored attributes stay inside the schema, the lifecycle stage is mirrored
 * whoever writes it, and an external id names one account.
 */
describe('account fields, external ids and health', () => {
  const database = `cairn_db_fields_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  let admin: DataSource;
  let ds: DataSource;
  let segmentId: string;
  const before = migrations.findIndex((m) => m.name === 'AccountFields1764450000000');

  async function account(name: string, attributes: Record<string, unknown>, domain: string | null = null): Promise<string> {
    const [row] = await ds.query(`INSERT INTO accounts (name, domain, segment_id, attributes) VALUES ($1, $2, $3, $4) RETURNING id`, [name, domain, segmentId, JSON.stringify(attributes)]);
    return row.id;
  }

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    // The schema as it was, with accounts that have attributes, then the migration.
    const old = await new DataSource({ type: 'postgres', url: url.toString(), entities, migrations: migrations.slice(0, before), migrationsTransactionMode: 'each' }).initialize();
    await old.runMigrations();
    [{ id: segmentId }] = await old.query(`INSERT INTO segments (key, name, touch_model) VALUES ('high-touch', 'High touch', 'high') RETURNING id`);
    await old.query(`INSERT INTO accounts (name, domain, segment_id, attributes) VALUES
      ('Acme', 'acme.example', $1, '{"plan": "enterprise", "arr": 1000, "lifecycle_stage": "adoption", "contract_start_date": "2025-03-01", "sso": true, "employees": 120, "tier": "gold"}'),
      ('Globex', 'globex.example', $1, '{"plan": "platinum", "sso": false, "employees": "many", "tier": "silver", "note": null, "lifecycle_stage": "onboarding"}')`, [segmentId]);
    await old.destroy();
    ds = await createDataSource(url.toString()).initialize();
    expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length - before);
  });

  afterAll(async () => {
    await ds?.destroy();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  it('seeds the built-ins and makes every stored attribute a field of the type its values have', async () => {
    const fields = (await repositories(ds.manager).accountFields.list()).map((f) => [f.key, f.type, f.builtIn, f.position, f.label]);
    expect(fields).toEqual([
      ['arr', 'currency', true, 1, 'ARR'],
      ['plan', 'enum', true, 2, 'Plan'],
      ['seats', 'number', true, 3, 'Seats'],
      ['industry', 'string', true, 4, 'Industry'],
      ['region', 'string', true, 5, 'Region'],
      ['start_date', 'date', true, 6, 'Start date'],
      ['renewal_date', 'date', true, 7, 'Renewal date'],
      ['lifecycle_stage', 'enum', true, 8, 'Lifecycle stage'],
      ['contract_start_date', 'date', false, 9, 'Contract start date'],
      ['employees', 'string', false, 10, 'Employees'],
      ['sso', 'boolean', false, 11, 'Sso'],
      ['tier', 'string', false, 12, 'Tier'],
    ]);
  });

  it('adds the values stored to an enum’s options', async () => {
    const byKey = new Map((await repositories(ds.manager).accountFields.list()).map((f) => [f.key, f]));
    expect(byKey.get('plan')?.options).toEqual(['starter', 'growth', 'enterprise', 'platinum']);
    expect(byKey.get('lifecycle_stage')?.options).toEqual(['onboarding', 'adopting', 'value_realized', 'expanding', 'renewing', 'at_risk', 'churned', 'adoption']);
    expect(byKey.get('arr')?.currency).toBe('USD');
  });

  it('refuses a definition that breaks the rules of types', async () => {
    for (const sql of [
      `INSERT INTO account_fields (key, label, type, position) VALUES ('tier2', 'Tier', 'enum', 20)`,
      `INSERT INTO account_fields (key, label, type, position) VALUES ('go_live', 'Go-live', 'date', 20)`,
      `INSERT INTO account_fields (key, label, type, position) VALUES ('go_live_date', 'Go-live', 'string', 20)`,
      `INSERT INTO account_fields (key, label, type, position) VALUES ('mrr', 'MRR', 'currency', 20)`,
      `INSERT INTO account_fields (key, label, type, position) VALUES ('Tier', 'Tier', 'string', 20)`,
    ]) {
      await expect(ds.query(sql)).rejects.toThrow(/violates check constraint/);
    }
  });

  it('mirrors the lifecycle stage from the attributes, whoever writes them', async () => {
    const id = await account('Initech', { lifecycle_stage: 'onboarding' });
    const stage = async () => (await ds.query(`SELECT lifecycle_stage FROM accounts WHERE id = $1`, [id]))[0].lifecycle_stage;
    expect(await stage()).toBe('onboarding');
    // As the engine's update step writes it.
    expect((await repositories(ds.manager).accounts.setAttribute(id, 'lifecycle_stage', 'adopting')).found).toBe(true);
    expect(await stage()).toBe('adopting');
    await ds.query(`UPDATE accounts SET lifecycle_stage = 'churned' WHERE id = $1`, [id]);
    expect(await stage()).toBe('adopting');
    await ds.query(`UPDATE accounts SET attributes = attributes - 'lifecycle_stage' WHERE id = $1`, [id]);
    expect(await stage()).toBeNull();
    expect((await ds.query(`SELECT lifecycle_stage FROM accounts WHERE name = 'Globex'`))[0].lifecycle_stage).toBe('onboarding');
  });

  it('lets an external id name one account, and an account have one id per system', async () => {
    const a = await account('Umbrella', {});
    const b = await account('Stark', {});
    const repo = repositories(ds.manager).accounts;
    await repo.addExternalIds([
      { accountId: a, system: 'salesforce', externalId: '001U' },
      { accountId: a, system: 'hubspot', externalId: 'h-1' },
      // Ids are case-sensitive (Salesforce's 15-character ids are).
      { accountId: b, system: 'salesforce', externalId: '001u' },
    ]);
    await expect(repo.addExternalIds([{ accountId: b, system: 'salesforce', externalId: '001U' }])).rejects.toThrow(/duplicate key/);
    await expect(repo.addExternalIds([{ accountId: a, system: 'salesforce', externalId: '002U' }])).rejects.toThrow(/account_external_ids_one_per_system/);
    const owners = await repo.externalIdOwners([
      { system: 'salesforce', externalId: '001U' },
      { system: 'hubspot', externalId: 'h-1' },
      { system: 'hubspot', externalId: '001U' },
      { system: 'salesforce', externalId: '001u' },
    ]);
    expect(owners.map((o) => [o.system, o.externalId, o.accountId]).sort()).toEqual(
      [
        ['hubspot', 'h-1', a],
        ['salesforce', '001U', a],
        ['salesforce', '001u', b],
      ].sort(),
    );
    const [stored] = await ds.transaction((em) => repositories(em).accounts.lockForUpdate([a]));
    expect(stored.externalIds).toEqual({ salesforce: '001U', hubspot: 'h-1' });
    // Deleting the account takes its ids with it.
    await ds.query(`DELETE FROM accounts WHERE id = $1`, [b]);
    expect(await repo.externalIdOwners([{ system: 'salesforce', externalId: '001u' }])).toEqual([]);
  });

  it('writes many accounts in one statement each: insert, update, with health', async () => {
    const repo = repositories(ds.manager).accounts;
    const id = randomUUID();
    const base = { id, name: 'Wayne', domain: null, assignedSegmentId: segmentId, csmId: null, timezone: 'Europe/Berlin', attributes: { seats: 3, lifecycle_stage: 'onboarding' }, healthStatus: 'green', healthScore: 90 };
    await repo.insertMany([base]);
    await repo.updateMany([{ ...base, name: 'Wayne Enterprises', attributes: { seats: 4, lifecycle_stage: 'adopting' }, healthStatus: 'red', healthScore: null }]);
    const [row] = await ds.query(`SELECT name, domain, timezone, attributes, metrics, health_status, health_score, lifecycle_stage FROM accounts WHERE id = $1`, [id]);
    expect(row).toEqual({ name: 'Wayne Enterprises', domain: null, timezone: 'Europe/Berlin', attributes: { seats: 4, lifecycle_stage: 'adopting' }, metrics: {}, health_status: 'red', health_score: null, lifecycle_stage: 'adopting' });
    await expect(ds.query(`UPDATE accounts SET health_status = NULL, health_score = 10 WHERE id = $1`, [id])).rejects.toThrow(/accounts_health_score_has_status/);
    await expect(ds.query(`UPDATE accounts SET health_score = 101 WHERE id = $1`, [id])).rejects.toThrow(/check constraint/);
  });

  it('finds the values a field holds, and rewrites them in one statement', async () => {
    const fields = repositories(ds.manager).accountFields;
    const values = await ds.transaction((em) => repositories(em).accountFields.valuesOf('employees'));
    expect(values.map((v) => [v.accountName, v.value])).toEqual([
      ['Acme', 120],
      ['Globex', 'many'],
    ]);
    const acme = values[0].accountId;
    await fields.rewriteValues('employees', [{ accountId: acme, value: '120' }]);
    expect((await ds.query(`SELECT attributes -> 'employees' AS v FROM accounts WHERE id = $1`, [acme]))[0].v).toBe('120');
    const without = await ds.transaction((em) => repositories(em).accountFields.accountsWithout('note'));
    expect(without.map((a) => a.accountName)).toContain('Globex');
    expect(without.map((a) => a.accountName)).toContain('Acme');
  });
});
