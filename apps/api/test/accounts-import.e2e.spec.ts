import { accountFieldSchema, accountSchema, apiErrorSchema, importAccountsResponseSchema, playbookSchema, publishResponseSchema, pageSchema } from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { seedDemoWorkspace } from '../src/seed/seed';
import { DEMO_EMAIL, signIn, testEnv } from './support/auth';

/**
 * Accounts with external ids, the typed attribute schema and CSV import, against real Postgres (a
 * database of its own, seeded with the demo workspace) and the real Temporal dev server: the
 * `accountChanged` signals an import sends are read from the history of workflows no worker runs.
 */
describe('accounts: field schema, create, import', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const idleQueue = `cairn-api-import-idle-${stamp}`;
  const database = `cairn_api_import_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;

  let admin: DataSource;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  let keys = 0;

  type Answer = { status: number; body: unknown };

  /** Signed in as Olivia Park (ops: defines fields, creates and imports accounts). */
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}` });

  async function call(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${base}${path}`, { method, headers: { ...auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  /** POSTs a CSV to the import, as text/csv (or the content type given). */
  async function importCsv(csv: string | Buffer, query = '', contentType = 'text/csv'): Promise<Answer> {
    const response = await fetch(`${base}/accounts/import${query}`, { method: 'POST', headers: { ...auth(), 'content-type': contentType }, body: typeof csv === 'string' ? csv : new Uint8Array(csv) });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  const report = (answer: Answer) => {
    expect({ status: answer.status, body: answer.status === 200 ? 'report' : answer.body }).toEqual({ status: 200, body: 'report' });
    return importAccountsResponseSchema.parse(answer.body);
  };
  const issuePaths = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);
  const accountCount = async () => (await ds.query(`SELECT count(*)::int AS n FROM accounts`))[0].n as number;
  const bySalesforce = async (id: string) => {
    const [row] = await ds.query(`SELECT account_id FROM account_external_ids WHERE system = 'salesforce' AND external_id = $1`, [id]);
    if (!row) return null;
    return accountSchema.parse((await call('GET', `/accounts/${row.account_id}`)).body);
  };

  /** A running run of the account whose workflow waits on a queue no worker polls: it only collects signals. */
  async function idleRun(accountId: string) {
    const key = `import-${++keys}-${stamp}`;
    const document = {
      schemaVersion: 2,
      key,
      name: `Import ${keys}`,
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    };
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document })).body);
    const version = publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, {})).body);
    const workflowId = `cairn-test:import:${randomUUID()}`;
    await ds.query(`INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by) VALUES ($1, $2, $3, $4, 'running', 'test')`, [workflowId, playbook.id, version.id, accountId]);
    return client.workflow.start('playbookRun', { taskQueue: idleQueue, workflowId, args: [] });
  }

  async function signalsIn(handle: WorkflowHandle, name: string): Promise<unknown[]> {
    const history = await handle.fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const signaled = event.workflowExecutionSignaledEventAttributes;
      if (signaled?.signalName !== name) return [];
      return [defaultPayloadConverter.fromPayload((signaled.input?.payloads ?? [])[0] ?? {})];
    });
  }

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    ds = await createDataSource(url.toString()).initialize();
    await migrate(ds);
    await seedDemoWorkspace(ds);
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: idleQueue })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    token = (await signIn(base, DEMO_EMAIL.ops)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
    await client?.connection.close();
    await ds?.destroy();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  describe('the field schema', () => {
    it('lists the built-ins, adds custom fields, and refuses bad definitions naming the field', async () => {
      const fields = pageSchema(accountFieldSchema).parse((await call('GET', '/account-fields')).body).items;
      expect(fields.map((f) => [f.key, f.type, f.builtIn])).toEqual([
        ['arr', 'currency', true],
        ['plan', 'enum', true],
        ['seats', 'number', true],
        ['industry', 'string', true],
        ['region', 'string', true],
        ['start_date', 'date', true],
        ['renewal_date', 'date', true],
        ['lifecycle_stage', 'enum', true],
        // The demo workspace's own fields, which the templates write.
        ['champion_status', 'enum', false],
        ['last_qbr_status', 'enum', false],
      ]);

      const sso = await call('POST', '/account-fields', { key: 'sso', label: 'SSO configured', type: 'boolean' });
      expect(sso.status).toBe(201);
      expect(accountFieldSchema.parse(sso.body)).toEqual({ key: 'sso', label: 'SSO configured', description: '', type: 'boolean', options: [], currency: null, required: false, builtIn: false, position: 11 });
      expect((await call('POST', '/account-fields', { key: 'support_tier', label: 'Support tier', type: 'enum', options: ['standard', 'premium'] })).status).toBe(201);
      expect((await call('POST', '/account-fields', { key: 'sso', label: 'Again', type: 'boolean' })).status).toBe(409);

      const cases: Array<[body: unknown, paths: string[]]> = [
        [{ key: 'tier', label: 'Tier', type: 'enum' }, ['body.options']],
        [{ key: 'go_live', label: 'Go-live', type: 'date' }, ['body.type']],
        [{ key: 'Tier', label: 'Tier', type: 'string' }, ['body.key']],
        [{ key: 'tier', label: 'Tier', type: 'string', builtIn: true }, ['body.builtIn']],
      ];
      for (const [body, paths] of cases) {
        const answer = await call('POST', '/account-fields', body);
        expect({ body, status: answer.status, paths: issuePaths(answer.body) }).toEqual({ body, status: 400, paths });
      }
      // Required only when no account would lack it.
      const required = await call('POST', '/account-fields', { key: 'csat', label: 'CSAT', type: 'number', required: true });
      expect(required.status).toBe(409);
      expect(apiErrorSchema.parse(required.body).message).toMatch(/csat cannot become required: \d+ accounts would not fit: Acme Analytics \(has no value\)/);
    });

    it('changes a type only when every stored value fits, converting them, and says which accounts do not', async () => {
      expect((await call('POST', '/account-fields', { key: 'employees', label: 'Employees', type: 'string' })).status).toBe(201);
      const accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
      const [acme, globex] = ['Acme Analytics', 'Globex Retail'].map((name) => accounts.find((a) => a.name === name) ?? { id: '' });
      expect((await call('PATCH', `/accounts/${acme.id}`, { attributes: { employees: '1200' } })).status).toBe(200);
      expect((await call('PATCH', `/accounts/${globex.id}`, { attributes: { employees: 'about 900' } })).status).toBe(200);

      const refused = await call('PATCH', '/account-fields/employees', { type: 'number' });
      expect(refused.status).toBe(409);
      const error = apiErrorSchema.parse(refused.body);
      expect(error.message).toMatch(/^employees cannot become a number: 1 account would not fit: Globex Retail \("about 900" is not a number/);
      expect(error.issues).toEqual([{ path: `accounts.${globex.id}.attributes.employees`, code: 'does_not_fit', message: expect.stringMatching(/^Globex Retail: "about 900" is not a number/) }]);

      expect((await call('PATCH', `/accounts/${globex.id}`, { attributes: { employees: '900' } })).status).toBe(200);
      const changed = await call('PATCH', '/account-fields/employees', { type: 'number', label: 'Employees (headcount)' });
      expect(changed.status).toBe(200);
      expect(accountFieldSchema.parse(changed.body)).toMatchObject({ type: 'number', label: 'Employees (headcount)' });
      expect(accountSchema.parse((await call('GET', `/accounts/${acme.id}`)).body).attributes.employees).toBe(1200);
      expect(accountSchema.parse((await call('GET', `/accounts/${globex.id}`)).body).attributes.employees).toBe(900);

      // A built-in keeps its type; an unknown field is 404; removing an option in use is refused.
      expect(issuePaths((await call('PATCH', '/account-fields/seats', { type: 'string' })).body)).toEqual(['body.type']);
      expect((await call('PATCH', '/account-fields/nope', { label: 'x' })).status).toBe(404);
      const plan = await call('PATCH', '/account-fields/plan', { options: ['starter', 'growth'] });
      expect(plan.status).toBe(409);
      expect(apiErrorSchema.parse(plan.body).message).toMatch(/plan cannot change its options: 3 accounts would not fit/);
    });
  });

  describe('POST /api/accounts and PATCH /api/accounts/:id', () => {
    it('creates an account checked against the schema, and refuses what does not fit naming the field', async () => {
      const created = await call('POST', '/accounts', {
        name: 'Tyrell Corporation',
        domain: 'https://Tyrell.example/',
        segmentKey: 'high-touch',
        timezone: 'america/los_angeles',
        attributes: { plan: 'enterprise', seats: 90, renewal_date: '2027-06-30', sso: true },
        externalIds: { salesforce: '001TYRELL' },
        health: { status: 'yellow', score: 58 },
      });
      expect(created.status).toBe(201);
      expect(accountSchema.parse(created.body)).toMatchObject({
        name: 'Tyrell Corporation',
        domain: 'tyrell.example',
        timezone: 'America/Los_Angeles',
        segment: { key: 'high-touch' },
        csm: null,
        attributes: { plan: 'enterprise', seats: 90, renewal_date: '2027-06-30', sso: true },
        externalIds: { salesforce: '001TYRELL' },
        health: { status: 'yellow', score: 58 },
      });

      const cases: Array<[body: unknown, status: number, paths: string[]]> = [
        [{ name: 'X', segmentKey: 'high-touch', attributes: { seats: 'ninety' } }, 400, ['body.attributes.seats']],
        [{ name: 'X', segmentKey: 'high-touch', attributes: { tier: 'gold', plan: 'platinum' } }, 400, ['body.attributes.tier', 'body.attributes.plan']],
        [{ name: 'X', segmentKey: 'vip' }, 400, ['body.segmentKey']],
        [{ name: 'X', segmentKey: 'renewing-soon' }, 400, ['body.segmentKey']],
        [{ name: 'X', segmentKey: 'high-touch', csmId: randomUUID() }, 400, ['body.csmId']],
        [{ name: 'X', segmentKey: 'high-touch', id: randomUUID() }, 400, ['body.id']],
        [{ name: 'X', segmentKey: 'high-touch', externalIds: { salesforce: '001TYRELL' } }, 409, ['body.externalIds.salesforce']],
        [{ name: 'X', segmentKey: 'high-touch', domain: 'tyrell.example' }, 409, ['body.domain']],
      ];
      const before = await accountCount();
      for (const [body, status, paths] of cases) {
        const answer = await call('POST', '/accounts', body);
        expect({ body, status: answer.status, paths: issuePaths(answer.body) }).toEqual({ body, status, paths });
      }
      expect(await accountCount()).toBe(before);
    });

    it('checks a PATCH against the schema, and sets health and external ids, telling the running runs', async () => {
      const tyrell = await bySalesforce('001TYRELL');
      if (!tyrell) throw new Error('no Tyrell');
      const run = await idleRun(tyrell.id);
      for (const [body, paths] of [
        [{ attributes: { tier: 'gold' } }, ['body.attributes.tier']],
        [{ attributes: { seats: '90' } }, ['body.attributes.seats']],
        [{ attributes: { plan: 'Enterprise' } }, ['body.attributes.plan']],
        [{ health: { status: 'amber' } }, ['body.health.status']],
      ] as Array<[unknown, string[]]>) {
        const answer = await call('PATCH', `/accounts/${tyrell.id}`, body);
        expect({ body, status: answer.status, paths: issuePaths(answer.body) }).toEqual({ body, status: 400, paths });
      }
      const patched = await call('PATCH', `/accounts/${tyrell.id}`, { health: { status: 'red', score: 20 }, externalIds: { hubspot: 'hs-77', salesforce: null } });
      expect(patched.status).toBe(200);
      expect(accountSchema.parse(patched.body)).toMatchObject({ health: { status: 'red', score: 20 }, externalIds: { hubspot: 'hs-77' } });
      expect(await signalsIn(run, 'accountChanged')).toEqual([{ what: 'health, external_id:salesforce, external_id:hubspot' }]);
      // The freed id can go to another account; a taken one cannot.
      const acme = await bySalesforce('0018c00002AcmeAAA');
      expect((await call('PATCH', `/accounts/${acme?.id}`, { externalIds: { hubspot: 'hs-77' } })).status).toBe(409);
    });
  });

  describe('POST /api/accounts/import', () => {
    const header = 'name,external_id:salesforce,csm_email,segment_key,timezone,arr,plan,seats,renewal_date,sso';
    // A byte order mark, CRLF line ends, a quoted comma and quoted quotes, as spreadsheets write them.
    const fiveRows = [
      `\uFEFF${header}`,
      '"Oscorp, Inc.",001OSC,casey@cairn.local,high-touch,America/New_York,"$250,000",enterprise,300,2027-05-01,yes',
      'LexCorp,001LEX,casey@cairn.local,tech-touch,America/Chicago,40000,Platinum,25,2027-02-30,no',
      '"Daily ""Planet""",001DPL,morgan@cairn.local,tech-touch,Europe/London,12000,starter,8,2027/09/01,',
      'Gringotts,001GRG,nobody@cairn.local,high-touch,Europe/London,90000,growth,,2027-08-01,true',
      'Monsters Inc,001MON,casey@cairn.local,tech-touch,,15000,growth,30,2027-10-01,1',
    ].join('\r\n');

    it('imports 5 rows with 2 bad ones: the good are written, the bad reported per column', async () => {
      // Every account has seats by now, so it can become required (and an empty cell in a new row is refused).
      expect((await call('PATCH', '/account-fields/seats', { required: true })).status).toBe(200);
      const before = await accountCount();
      const result = report(await importCsv(fiveRows));
      expect(result).toMatchObject({ mode: 'upsert', dryRun: false, atomic: false, written: true, totals: { rows: 5, created: 3, updated: 0, unchanged: 0, rejected: 2 } });
      expect(result.rows.map((r) => [r.row, r.status, r.errors.map((e) => e.column)])).toEqual([
        [2, 'created', []],
        [3, 'rejected', ['plan', 'renewal_date']],
        [4, 'created', []],
        [5, 'rejected', ['csm_email', 'seats']],
        [6, 'created', []],
      ]);
      expect(result.rows[1].errors.map((e) => e.message)).toEqual([
        '"Platinum" is not an option of plan: give one of starter, growth, enterprise',
        '"2027-02-30" is not a day of the calendar',
      ]);
      expect(result.rows[3].errors.map((e) => e.message)).toEqual(['No user has the email nobody@cairn.local', 'seats is required for a new account']);
      expect(await accountCount()).toBe(before + 3);

      const oscorp = await bySalesforce('001OSC');
      expect(oscorp).toMatchObject({ id: result.rows[0].accountId, name: 'Oscorp, Inc.', timezone: 'America/New_York', segment: { key: 'high-touch' }, csm: { email: 'casey@cairn.local' }, attributes: { arr: 250000, plan: 'enterprise', seats: 300, renewal_date: '2027-05-01', sso: true } });
      expect(await bySalesforce('001DPL')).toMatchObject({ name: 'Daily "Planet"', attributes: { arr: 12000, plan: 'starter', seats: 8, renewal_date: '2027-09-01' } });
      expect(await bySalesforce('001MON')).toMatchObject({ timezone: 'UTC', attributes: { arr: 15000, sso: true } });
      expect(await bySalesforce('001LEX')).toBeNull();
    });

    it('re-imports the same file as unchanged, and an update via a changed column tells the running runs', async () => {
      const again = report(await importCsv(fiveRows));
      expect(again.totals).toEqual({ rows: 5, created: 0, updated: 0, unchanged: 3, rejected: 2 });
      expect(again.signals).toEqual({ sent: 0, notSent: [] });

      const oscorp = await bySalesforce('001OSC');
      if (!oscorp) throw new Error('no Oscorp');
      const run = await idleRun(oscorp.id);
      const changed = report(await importCsv(`external_id:salesforce,seats,plan\n001OSC,320,enterprise\n001DPL,8,starter\n`));
      expect(changed.rows).toEqual([
        { row: 2, status: 'updated', accountId: oscorp.id, changed: ['seats'], errors: [] },
        { row: 3, status: 'unchanged', accountId: expect.any(String), changed: [], errors: [] },
      ]);
      expect(changed.signals).toEqual({ sent: 1, notSent: [] });
      expect(await signalsIn(run, 'accountChanged')).toEqual([{ what: 'seats' }]);
      expect((await bySalesforce('001OSC'))?.attributes).toMatchObject({ seats: 320, plan: 'enterprise', arr: 250000 });
    });

    it('writes nothing on a dry run, nor in an atomic import with a bad row', async () => {
      const csv = `name,external_id:salesforce,segment_key,seats\nUmbrella Two,001DRY,tech-touch,5\n"Oscorp, Inc.",001OSC,high-touch,999\n`;
      const before = await accountCount();
      const dry = report(await importCsv(csv, '?dryRun=true'));
      expect(dry).toMatchObject({ dryRun: true, written: false, totals: { created: 1, updated: 1 } });
      expect(dry.rows[0]).toEqual({ row: 2, status: 'created', accountId: null, changed: [], errors: [] });
      expect(dry.rows[1]).toMatchObject({ status: 'updated', changed: ['seats'] });
      expect(await accountCount()).toBe(before);
      expect((await bySalesforce('001OSC'))?.attributes.seats).toBe(320);

      const atomic = report(await importCsv(`${csv}Bad Row,001BAD,tech-touch,lots\n`, '?atomic=true'));
      expect(atomic).toMatchObject({ atomic: true, written: false, totals: { created: 1, updated: 1, rejected: 1 } });
      expect(await accountCount()).toBe(before);
      expect(await bySalesforce('001DRY')).toBeNull();
      expect((await bySalesforce('001OSC'))?.attributes.seats).toBe(320);
    });

    it('rejects rows sharing an external id, rows naming two accounts, and known ids in insert mode', async () => {
      const dupes = report(await importCsv(`name,external_id:salesforce,external_id:hubspot,segment_key,seats\nA,001DUP,,tech-touch,1\nB,001DUP,,tech-touch,2\n,001OSC,hs-osc,,\n`));
      expect(dupes.rows.map((r) => [r.status, r.errors.map((e) => e.message)])).toEqual([
        ['rejected', ['"001DUP" is also on row 3: each external id once per file']],
        ['rejected', ['"001DUP" is also on row 2: each external id once per file']],
        ['updated', []],
      ]);
      const twoAccounts = report(await importCsv(`external_id:salesforce,external_id:hubspot\n0018c00002AcmeAAA,hs-osc\n`));
      expect(twoAccounts.rows[0].errors[0].message).toMatch(/The row's external ids name different accounts: external_id:salesforce → "Acme Analytics" .*; external_id:hubspot → "Oscorp, Inc\."/);
      const ruleSegment = report(await importCsv(`external_id:salesforce,segment_key\n001OSC,renewing-soon\n`));
      expect(ruleSegment.rows[0].errors).toEqual([{ column: 'segment_key', message: expect.stringMatching(/"renewing-soon" is a rule segment/) }]);
      // A new manual segment moves the account: its own segment follows (membership is refreshed).
      const moved = report(await importCsv(`external_id:salesforce,segment_key\n001DPL,high-touch\n`));
      expect(moved.rows[0]).toMatchObject({ status: 'updated', changed: ['segment_key'] });
      expect((await bySalesforce('001DPL'))?.segment.key).toBe('high-touch');
      const insert = report(await importCsv(`name,external_id:salesforce,segment_key,seats\nOscorp again,001OSC,tech-touch,1\nNew One,001NEW1,tech-touch,1\n`, '?mode=insert'));
      expect(insert.rows.map((r) => r.status)).toEqual(['rejected', 'created']);
      expect(insert.rows[0].errors[0].message).toMatch(/has this id already \(import with mode=upsert/);
    });

    it('refuses a header with an unknown column, an empty file, and bad options, with 400 naming them', async () => {
      const unknown = await importCsv(`name,external_id:salesforce,tier,seats\nX,001X,gold,1\n`);
      expect(unknown.status).toBe(400);
      expect(issuePaths(unknown.body)).toEqual(['header.tier']);
      expect(apiErrorSchema.parse(unknown.body).issues[0].message).toMatch(/Unknown column: "tier" is not an account field/);
      expect(issuePaths((await importCsv(`name,segment_key\nX,tech-touch\n`)).body)).toEqual(['header.external_id:<system>']);
      expect(issuePaths((await importCsv('')).body)).toEqual(['body']);
      expect(issuePaths((await importCsv('name,external_id:salesforce\n\n\n')).body)).toEqual(['body']);
      expect(issuePaths((await importCsv('name,external_id:salesforce\n"never closed,001\n')).body)).toEqual(['body']);
      const workbook = await importCsv(Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000'));
      expect(apiErrorSchema.parse(workbook.body)).toMatchObject({ statusCode: 400, message: expect.stringMatching(/spreadsheet workbook \(\.xlsx\), not a CSV/) });
      expect(issuePaths((await importCsv('name,external_id:salesforce\nX,1\n', '?mode=merge&force=1')).body).sort()).toEqual(['query.force', 'query.mode']);
      const json = await call('POST', '/accounts/import', { name: 'X' });
      expect(json.status).toBe(415);
    });

    it('takes the file as a multipart upload too', async () => {
      const form = new FormData();
      form.append('file', new Blob([`name,external_id:salesforce,segment_key,seats\nUploaded Co,001UPL,tech-touch,4\n`], { type: 'text/csv' }), 'accounts.csv');
      const response = await fetch(`${base}/accounts/import`, { method: 'POST', headers: auth(), body: form });
      const uploaded = report({ status: response.status, body: await response.json() });
      expect(uploaded.rows[0]).toMatchObject({ status: 'created', accountId: expect.any(String) });
      expect((await bySalesforce('001UPL'))?.name).toBe('Uploaded Co');

      const wrongField = new FormData();
      wrongField.append('upload', new Blob(['name\n']), 'accounts.csv');
      const wrong = await fetch(`${base}/accounts/import`, { method: 'POST', headers: auth(), body: wrongField });
      expect(wrong.status).toBe(400);
      expect(apiErrorSchema.parse(await wrong.json()).message).toMatch(/send one file, in the form field "file"/);
    });

    it('answers 413, not 500, for a body over 5 MB (text or upload) and for more than 10,000 rows', async () => {
      const row = 'Big Co,001BIG,tech-touch,4,' + 'x'.repeat(90) + '\n';
      const sixMb = `name,external_id:salesforce,segment_key,seats,industry\n${row.repeat(Math.ceil((6 * 1024 * 1024) / row.length))}`;
      const text = await importCsv(sixMb);
      expect(text.status).toBe(413);
      expect(apiErrorSchema.parse(text.body)).toMatchObject({ error: 'payload_too_large', message: 'The request body is larger than 5 MB, the most one request may carry' });

      const form = new FormData();
      form.append('file', new Blob([sixMb], { type: 'text/csv' }), 'accounts.csv');
      const upload = await fetch(`${base}/accounts/import`, { method: 'POST', headers: auth(), body: form });
      expect(upload.status).toBe(413);
      expect(apiErrorSchema.parse(await upload.json()).error).toBe('payload_too_large');

      const many = `name,external_id:salesforce,segment_key,seats\n${Array.from({ length: 10_001 }, (_, i) => `Co ${i},001M${i},tech-touch,1`).join('\n')}\n`;
      const tooMany = await importCsv(many);
      expect(tooMany.status).toBe(413);
      expect(apiErrorSchema.parse(tooMany.body).message).toBe('The file has 10,001 rows; one import takes at most 10,000: split it');
    });

    it('imports 10,000 rows in one transaction, then finds them all unchanged', async () => {
      const rows = Array.from({ length: 10_000 }, (_, i) => `Bulk ${i},B${i},casey@cairn.local,tech-touch,${i % 2 ? 'Europe/Berlin' : 'UTC'},${1000 + i},growth,${1 + (i % 50)},2027-0${1 + (i % 9)}-15`);
      const csv = `name,external_id:bulk,csm_email,segment_key,timezone,arr,plan,seats,renewal_date\n${rows.join('\n')}\n`;
      let started = Date.now();
      const first = report(await importCsv(csv));
      const firstMs = Date.now() - started;
      expect(first.totals).toEqual({ rows: 10_000, created: 10_000, updated: 0, unchanged: 0, rejected: 0 });
      started = Date.now();
      const second = report(await importCsv(csv));
      const secondMs = Date.now() - started;
      expect(second.totals).toEqual({ rows: 10_000, created: 0, updated: 0, unchanged: 10_000, rejected: 0 });
      console.log(`10,000-row import: ${firstMs} ms creating, ${secondMs} ms unchanged`);
    });

    it('imports the sample file of the docs against the demo workspace', async () => {
      const csv = readFileSync(join(__dirname, '../../../docs/examples/accounts.csv'));
      const result = report(await importCsv(csv));
      expect(result.rows.map((r) => [r.row, r.status, r.changed, r.errors])).toEqual([
        [2, 'updated', ['health', 'health_score', 'seats', 'industry', 'external_id:hubspot'], []],
        [3, 'updated', ['health', 'health_score', 'industry', 'external_id:hubspot'], []],
        [4, 'created', [], []],
        [5, 'created', [], []],
        [6, 'created', [], []],
      ]);
      expect(await bySalesforce('0018c00002SoylAAA')).toMatchObject({ name: 'Soylent Foods', attributes: { start_date: '2026-11-20', lifecycle_stage: 'onboarding' } });
      expect(report(await importCsv(csv)).totals).toMatchObject({ unchanged: 5 });
    });
  });
});
