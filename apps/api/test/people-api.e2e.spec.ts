import {
  accountEventPageSchema,
  auditPageSchema,
  createdTokenSchema,
  accountSchema,
  apiErrorSchema,
  playbookSchema,
  publishResponseSchema,
  runSchema,
  segmentMemberPageSchema,
  segmentSchema,
  type Stakeholder,
  type StakeholderChange,
  stakeholderHistoryPageSchema,
  stakeholderSchema,
  taskPageSchema,
  userSchema,
  pageSchema,
  stakeholderPageSchema,
} from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import { templates } from '@cairn/playbook';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { seedDemoWorkspace } from '../src/seed/seed';
import { type Caller, callerFor, DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';

/**
 * The people map's endpoints against real Postgres (a database of its own) and the real Temporal
 * dev server: writes with their change rows, a champion or sponsor leaving stored as an account
 * event and routed like POST /api/events (to running runs, and starting the published
 * champion-left playbook), running runs told to re-read the account, and, with the built worker,
 * a champion-left run that waits for a new champion and meets them.
 */
describe('people map API', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  /** No worker polls this queue: workflows there only collect signals in their history. */
  const idleQueue = `cairn-people-idle-${stamp}`;
  const database = `cairn_api_people_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;

  let admin: DataSource;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  const accounts = new Map<string, z.infer<typeof accountSchema>>();
  const users = new Map<string, z.infer<typeof userSchema>>();
  let keys = 0;
  let championLeft: { playbookId: string };

  /**
   * Access tokens per API instance, signed in as Casey Morgan (the CSM who owns every demo account:
   * her changes are recorded as hers); `asOps` publishes playbooks and designs segments, and the
   * Salesforce sync is an API token.
   */
  const tokens = new Map<string, string>();
  let asOps: Caller;
  const salesforce = { id: '', call: null as unknown as Caller };
  async function callAt(root: string, method: string, path: string, body?: unknown) {
    if (!tokens.has(root)) tokens.set(root, (await signIn(root, DEMO_EMAIL.csm)).accessToken);
    const response = await fetch(`${root}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(root)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
  }
  const call = (method: string, path: string, body?: unknown) => callAt(base, method, path, body);

  const account = (name: string) => {
    const found = accounts.get(name);
    if (!found) throw new Error(`no seeded account ${name}`);
    return found;
  };
  const user = (name: string) => {
    const found = users.get(name);
    if (!found) throw new Error(`no seeded user ${name}`);
    return found;
  };
  const person = (accountName: string, name: string) => {
    const found = account(accountName).stakeholders.find((s) => s.name === name);
    if (!found) throw new Error(`no ${name} at ${accountName}`);
    return found;
  };
  const issuePaths = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);
  const people = (accountId: string) => `/accounts/${accountId}/stakeholders`;

  async function history(path: string): Promise<StakeholderChange[]> {
    const answer = await call('GET', path);
    expect(answer.status).toBe(200);
    return stakeholderHistoryPageSchema.parse(answer.body).items;
  }

  async function create(accountId: string, body: Record<string, unknown>): Promise<Stakeholder> {
    const answer = await call('POST', people(accountId), body);
    expect(answer).toMatchObject({ status: 201 });
    return stakeholderSchema.parse(answer.body);
  }

  /** Publishes a playbook document and returns its id. */
  async function publishDocument(document: unknown): Promise<string> {
    const created = await asOps('POST', '/playbooks', { document });
    expect(created.status).toBe(201);
    const playbook = playbookSchema.parse(created.body);
    const published = await asOps('POST', `/playbooks/${playbook.id}/publish`, {});
    expect(published.status).toBe(201);
    publishResponseSchema.parse(published.body);
    return playbook.id;
  }

  /** A running run of the account (of a new manual playbook) whose workflow waits on the idle queue, collecting signals. */
  async function idleRun(accountId: string) {
    const key = `people-idle-${++keys}`;
    const playbookId = await publishDocument({
      schemaVersion: 2,
      key,
      name: `People idle ${keys}`,
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    });
    const [version] = await ds.query(`SELECT id FROM playbook_versions WHERE playbook_id = $1`, [playbookId]);
    const workflowId = `cairn-test:people-idle:${randomUUID()}`;
    await ds.query(`INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by) VALUES ($1, $2, $3, $4, 'running', 'test')`, [workflowId, playbookId, version.id, accountId]);
    return client.workflow.start('playbookRun', { taskQueue: idleQueue, workflowId, args: [] });
  }

  /** The arguments of each `name` signal in the workflow's history, in order. */
  async function signalsIn(handle: WorkflowHandle, name: string): Promise<unknown[]> {
    const events = (await handle.fetchHistory()).events ?? [];
    return events.flatMap((event) => {
      const signaled = event.workflowExecutionSignaledEventAttributes;
      if (signaled?.signalName !== name) return [];
      return [defaultPayloadConverter.fromPayload((signaled.input?.payloads ?? [])[0] ?? {})];
    });
  }

  async function eventsOf(accountId: string, type: string) {
    return accountEventPageSchema.parse((await call('GET', `/accounts/${accountId}/events?limit=200`)).body).items.filter((e) => e.type === type);
  }

  async function championLeftRuns(accountId: string): Promise<Array<{ id: string; workflow_id: string; reason: string; enrolled_by: string }>> {
    return ds.query(`SELECT id, workflow_id, reason, enrolled_by FROM runs WHERE playbook_id = $1 AND account_id = $2 ORDER BY started_at`, [championLeft.playbookId, accountId]);
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
    for (const a of pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items) accounts.set(a.name, a);
    const asAdmin = callerFor(base, (await signIn(base, DEMO_EMAIL.admin)).accessToken);
    for (const u of pageSchema(userSchema).parse((await asAdmin('GET', '/users?limit=200')).body).items) users.set(u.name, u);
    asOps = callerFor(base, (await signIn(base, DEMO_EMAIL.ops)).accessToken);
    const token = createdTokenSchema.parse((await asAdmin('POST', '/tokens', { name: 'Salesforce', scopes: ['accounts:read', 'accounts:write'] })).body);
    salesforce.id = token.id;
    salesforce.call = callerFor(base, token.token);
    championLeft = { playbookId: await publishDocument(templates['champion-left']) };
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

  describe('the seeded people map', () => {
    it('gives each demo account a champion, a sponsor, an economic buyer and an admin with titles, each with a created change; a second seed changes nothing', async () => {
      for (const a of accounts.values()) {
        expect(a.stakeholders.map((s) => s.role)).toEqual(expect.arrayContaining(['champion', 'sponsor', 'economic_buyer', 'admin']));
        for (const s of a.stakeholders) expect(s).toMatchObject({ status: 'active', title: expect.any(String), accountId: a.id });
      }
      expect(person('Acme Analytics', 'Dana Whitfield')).toMatchObject({ role: 'champion', title: 'Director of Revenue Operations', email: 'dana.whitfield@acme-analytics.example' });
      const dana = person('Acme Analytics', 'Dana Whitfield');
      expect(await history(`${people(dana.accountId)}/${dana.id}/history`)).toEqual([
        expect.objectContaining({ kind: 'created', before: null, after: expect.objectContaining({ name: 'Dana Whitfield', role: 'champion' }), changedBy: 'integration:demo_seed', changedByName: null }),
      ]);
      expect(await seedDemoWorkspace(ds)).toContain('(nothing to do)');
    });
  });

  describe('reading and writing', () => {
    it('adds, lists, changes and shows someone, keeping every change with who made it and why', async () => {
      const initech = account('Initech');
      const casey = user('Casey Morgan');
      const created = await create(initech.id, { name: 'Peter Gibbons', email: ' Peter.Gibbons@Initech.example ', role: 'user', title: 'Software Engineer', phone: '+1 312 555 0111', reason: 'Met at the onboarding call' });
      expect(created).toMatchObject({ accountId: initech.id, name: 'Peter Gibbons', email: 'peter.gibbons@initech.example', role: 'user', title: 'Software Engineer', phone: '+1 312 555 0111', status: 'active', isPrimary: false, leftAt: null });

      const listed = stakeholderPageSchema.parse((await call('GET', people(initech.id))).body).items;
      expect(listed.map((s) => s.name)).toEqual([...listed.map((s) => s.name)].sort((a, b) => a.localeCompare(b)));
      expect(listed.find((s) => s.id === created.id)).toEqual(created);
      expect(stakeholderPageSchema.parse((await call('GET', `${people(initech.id)}?role=user`)).body).items.map((s) => s.id)).toEqual([created.id]);
      expect(stakeholderPageSchema.parse((await call('GET', `${people(initech.id)}?status=left`)).body).items).toEqual([]);
      expect(stakeholderSchema.parse((await call('GET', `${people(initech.id)}/${created.id}`)).body)).toEqual(created);

      const patched = await salesforce.call('PATCH', `${people(initech.id)}/${created.id}`, { title: 'Senior Software Engineer', phone: null, reason: 'CRM sync' });
      expect(patched.status).toBe(200);
      const changed = stakeholderSchema.parse(patched.body);
      expect(changed).toMatchObject({ title: 'Senior Software Engineer', phone: null, name: 'Peter Gibbons' });
      expect(Date.parse(changed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      // The same again changes nothing and records nothing.
      expect((await call('PATCH', `${people(initech.id)}/${created.id}`, { title: 'Senior Software Engineer' })).status).toBe(200);

      const changes = await history(`${people(initech.id)}/${created.id}/history`);
      expect(changes).toEqual([
        expect.objectContaining({
          kind: 'updated',
          before: { title: 'Software Engineer', phone: '+1 312 555 0111' },
          after: { title: 'Senior Software Engineer', phone: null },
          changedBy: `token:${salesforce.id}`,
          changedByName: 'Salesforce',
          reason: 'CRM sync',
          eventId: null,
        }),
        expect.objectContaining({
          kind: 'created',
          before: null,
          after: { name: 'Peter Gibbons', email: 'peter.gibbons@initech.example', role: 'user', title: 'Software Engineer', phone: '+1 312 555 0111', status: 'active', isPrimary: false, leftAt: null },
          changedBy: casey.id,
          changedByName: 'Casey Morgan',
          reason: 'Met at the onboarding call',
        }),
      ]);
      // The account's history has them too, newest first, and pages.
      const accountHistory = await history(`${people(initech.id)}/history`);
      expect(accountHistory.slice(0, 2).map((c) => c.id)).toEqual(changes.map((c) => c.id));
      const first = stakeholderHistoryPageSchema.parse((await call('GET', `${people(initech.id)}/history?limit=1`)).body);
      expect(first.items.map((c) => c.id)).toEqual([changes[0].id]);
      const second = stakeholderHistoryPageSchema.parse((await call('GET', `${people(initech.id)}/history?limit=1&cursor=${first.nextCursor}`)).body);
      expect(second.items.map((c) => c.id)).toEqual([changes[1].id]);
      expect(await history(`${people(initech.id)}/history?limit=200`)).toEqual(accountHistory);
    });

    it('lets a CSM change the people map of the accounts they own only (reading is for everyone), and audits each change', async () => {
      const stark = account('Stark Logistics');
      const viewer = callerFor(base, (await signIn(base, DEMO_EMAIL.viewer)).accessToken);
      const natasha = { name: 'Wanda Maximoff', email: 'wanda.maximoff@stark-logistics.example', role: 'user' };
      expect((await viewer('GET', people(stark.id))).status).toBe(200);
      expect((await viewer('POST', people(stark.id), natasha)).body).toMatchObject({ statusCode: 403, permission: 'accounts:write' });
      // Stark Logistics passes to another CSM: Casey still reads its people map, but no longer changes it; ops may.
      const [other] = await ds.query(`INSERT INTO users (name, email, role) VALUES ('Other CSM', $1, 'csm') RETURNING id`, [`other-${stamp}@cairn.test`]);
      await ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [other.id, stark.id]);
      try {
        expect((await call('GET', people(stark.id))).status).toBe(200);
        expect((await call('POST', people(stark.id), natasha)).body).toMatchObject({ statusCode: 403, permission: 'accounts:write', message: 'You may change the people map only on accounts you own or where you are the assignee' });
        const added = await asOps('POST', people(stark.id), natasha);
        expect(added.status).toBe(201);
        const { id } = stakeholderSchema.parse(added.body);
        const audit = auditPageSchema.parse((await asOps('GET', `/audit?entityType=stakeholder&entityId=${id}`)).body).items;
        expect(audit).toEqual([expect.objectContaining({ action: 'stakeholder.created', actor: expect.objectContaining({ type: 'user', name: 'Olivia Park' }), changes: { after: expect.objectContaining({ name: 'Wanda Maximoff' }) } })]);
        expect((await history(`${people(stark.id)}/${id}/history`))[0]).toMatchObject({ changedByName: 'Olivia Park' });
      } finally {
        await ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [user('Casey Morgan').id, stark.id]);
      }
    });

    it('keeps one person per email in an account (409 naming body.email, whatever the case), the same email in another account is fine', async () => {
      const stark = account('Stark Logistics');
      const pepper = person('Stark Logistics', 'Pepper Potts');
      const taken = await call('POST', people(stark.id), { name: 'Virginia Potts', email: 'PEPPER.POTTS@stark-logistics.example', role: 'user' });
      expect(taken.status).toBe(409);
      expect(apiErrorSchema.parse(taken.body)).toMatchObject({ error: 'conflict', message: expect.stringContaining('Pepper Potts'), issues: [{ path: 'body.email', code: 'duplicate' }] });
      const happy = person('Stark Logistics', 'Happy Hogan');
      const patched = await call('PATCH', `${people(stark.id)}/${happy.id}`, { email: pepper.email });
      expect(patched.status).toBe(409);
      expect(issuePaths(patched.body)).toEqual(['body.email']);
      expect(stakeholderSchema.parse((await call('GET', `${people(stark.id)}/${happy.id}`)).body).email).toBe(happy.email);
      await create(account('Initech').id, { name: 'Pepper Potts', email: pepper.email, role: 'user' });
    });

    it('keeps one active primary per role: a new primary takes the mark, recorded as a change of the one who had it', async () => {
      const umbrella = account('Umbrella Health');
      const jill = person('Umbrella Health', 'Jill Valentine');
      expect((await call('PATCH', `${people(umbrella.id)}/${jill.id}`, { isPrimary: true })).status).toBe(200);
      const chris = await create(umbrella.id, { name: 'Chris Redfield', email: 'chris.redfield@umbrella-health.example', role: 'admin', title: 'Security Administrator', isPrimary: true });
      expect(chris.isPrimary).toBe(true);
      expect(stakeholderSchema.parse((await call('GET', `${people(umbrella.id)}/${jill.id}`)).body).isPrimary).toBe(false);
      expect((await history(`${people(umbrella.id)}/${jill.id}/history`))[0]).toMatchObject({ kind: 'updated', before: { isPrimary: true }, after: { isPrimary: false }, reason: 'Chris Redfield became the primary admin' });
      // A new role starts without the mark.
      const moved = stakeholderSchema.parse((await call('PATCH', `${people(umbrella.id)}/${chris.id}`, { role: 'product_owner' })).body);
      expect(moved).toMatchObject({ role: 'product_owner', isPrimary: false });
    });

    it('answers 404 for an unknown account or stakeholder, and for a stakeholder of another account', async () => {
      const nobody = '00000000-0000-4000-8000-000000000000';
      const acme = account('Acme Analytics');
      const dana = person('Acme Analytics', 'Dana Whitfield');
      const cases: Array<[method: string, path: string, body?: unknown]> = [
        ['GET', people(nobody)],
        ['POST', people(nobody), { name: 'X', email: 'x@x.example', role: 'user' }],
        ['GET', `${people(nobody)}/history`],
        ['GET', `${people(acme.id)}/${nobody}`],
        ['PATCH', `${people(acme.id)}/${nobody}`, { title: 'X' }],
        ['POST', `${people(acme.id)}/${nobody}/left`, { reason: 'Gone' }],
        ['DELETE', `${people(acme.id)}/${nobody}`, {}],
        ['GET', `${people(acme.id)}/${nobody}/history`],
        ['GET', `${people(account('Initech').id)}/${dana.id}`],
        ['PATCH', `${people(account('Initech').id)}/${dana.id}`, { title: 'X' }],
        ['GET', `${people(account('Initech').id)}/${dana.id}/history`],
      ];
      for (const [method, path, body] of cases) {
        const answer = await call(method, path, body);
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
        expect(apiErrorSchema.parse(answer.body).error).toBe('not_found');
      }
    });

    it('refuses bad bodies and queries with 400 naming each field, fields a client may not set included (who makes the change is the signed-in person)', async () => {
      const globex = account('Globex Retail');
      const sam = person('Globex Retail', 'Sam Carter');
      const casey = user('Casey Morgan').id;
      const cases: Array<[method: string, path: string, body: unknown, paths: string[]]> = [
        ['POST', people(globex.id), { name: 'A', email: 'not an email', role: 'cto' }, ['body.email', 'body.role']],
        ['POST', people(globex.id), { name: 'A', email: 'a@globex-retail.example', role: 'user', changedBy: 'someone' }, ['body.changedBy']],
        ['POST', people(globex.id), { name: 'A', email: 'a@globex-retail.example', role: 'user', status: 'left', accountId: globex.id }, ['body.status', 'body.accountId']],
        ['POST', people(globex.id), { name: 'A', email: 'a@globex-retail.example', role: 'user', changedBy: 'integration:salesforce' }, ['body.changedBy']],
        ['PATCH', `${people(globex.id)}/${sam.id}`, {}, ['body']],
        ['PATCH', `${people(globex.id)}/${sam.id}`, { status: 'left' }, ['body.status']],
        ['PATCH', `${people(globex.id)}/${sam.id}`, { title: 'Head of Analytics', leftAt: '2026-01-01T00:00:00Z', id: sam.id }, ['body.leftAt', 'body.id']],
        ['PATCH', `${people(globex.id)}/${sam.id}`, { phone: 'call reception' }, ['body.phone']],
        ['POST', `${people(globex.id)}/${sam.id}/left`, {}, ['body.reason']],
        ['POST', `${people(globex.id)}/${sam.id}/left`, { reason: 'Gone', leftAt: 'last week', role: 'user' }, ['body.leftAt', 'body.role']],
        ['POST', `${people(globex.id)}/${sam.id}/left`, { reason: 'Gone', leftAt: '2099-01-01T00:00:00Z' }, ['body.leftAt']],
        ['DELETE', `${people(globex.id)}/${sam.id}`, { changedBy: casey }, ['body.changedBy']],
        ['GET', `${people(globex.id)}?status=gone&email=x`, undefined, ['query.status', 'query.email']],
        ['GET', `${people(globex.id)}/history?cursor=bm90LWEtY3Vyc29y`, undefined, ['query.cursor']],
        ['GET', `${people(globex.id)}/not-an-id`, undefined, ['params.sid']],
      ];
      for (const [method, path, body, paths] of cases) {
        const answer = await call(method, path, body);
        expect({ method, path, body, status: answer.status }).toEqual({ method, path, body, status: 400 });
        expect(issuePaths(answer.body).sort()).toEqual([...paths].sort());
      }
      // Nothing was changed by any of them.
      expect(stakeholderSchema.parse((await call('GET', `${people(globex.id)}/${sam.id}`)).body)).toEqual(sam);
      expect((await history(`${people(globex.id)}/${sam.id}/history`)).map((c) => c.kind)).toEqual(['created']);
    });
  });

  describe('leaving', () => {
    it('a champion leaving stores crm.champion_left keyed by the change, signals the running runs, starts the champion-left playbook with the event, and tells the runs to re-read the account', async () => {
      const acme = account('Acme Analytics');
      const dana = person('Acme Analytics', 'Dana Whitfield');
      const running = await idleRun(acme.id);

      const answer = await salesforce.call('POST', `${people(acme.id)}/${dana.id}/left`, { reason: 'Joined another company', leftAt: '2026-11-20T09:00:00.000Z' });
      expect(answer.status).toBe(200);
      expect(stakeholderSchema.parse(answer.body)).toMatchObject({ status: 'left', leftAt: '2026-11-20T09:00:00.000Z', isPrimary: false, role: 'champion' });

      const [change] = await history(`${people(acme.id)}/${dana.id}/history`);
      expect(change).toMatchObject({
        kind: 'left',
        before: { status: 'active', leftAt: null },
        after: { status: 'left', leftAt: '2026-11-20T09:00:00.000Z' },
        changedBy: `token:${salesforce.id}`,
        changedByName: 'Salesforce',
        reason: 'Joined another company',
        eventId: expect.any(String),
      });
      const [event] = await eventsOf(acme.id, 'crm.champion_left');
      expect(event).toEqual({
        id: change.eventId,
        accountId: acme.id,
        type: 'crm.champion_left',
        source: 'cairn',
        idempotencyKey: `stakeholder-change:${change.id}`,
        occurredAt: '2026-11-20T09:00:00.000Z',
        receivedAt: expect.any(String),
        data: {
          stakeholderId: dana.id,
          name: 'Dana Whitfield',
          email: 'dana.whitfield@acme-analytics.example',
          title: 'Director of Revenue Operations',
          role: 'champion',
          change: 'left',
          changeId: change.id,
          changedBy: `token:${salesforce.id}`,
          reason: 'Joined another company',
        },
      });

      // The published champion-left playbook started with the event (its workflow waits on the idle queue).
      const runs = await championLeftRuns(acme.id);
      expect(runs).toEqual([expect.objectContaining({ enrolled_by: 'event', reason: `Event crm.champion_left (${event.id})` })]);
      const delivered = { eventId: event.id, type: 'crm.champion_left', data: event.data, occurredAt: '2026-11-20T09:00:00.000Z' };
      expect(await signalsIn(client.workflow.getHandle(runs[0].workflow_id), 'accountEvent')).toEqual([delivered]);
      expect(runSchema.parse((await call('GET', `/runs/${runs[0].id}`)).body)).toMatchObject({ accountId: acme.id, status: 'running' });
      // The run already going got the event, and (after the commit) word that the account changed; so did the new run.
      expect(await signalsIn(running, 'accountEvent')).toEqual([delivered]);
      expect(await signalsIn(running, 'accountChanged')).toEqual([{ what: 'people map: Dana Whitfield (champion) left' }]);
      expect(await signalsIn(client.workflow.getHandle(runs[0].workflow_id), 'accountChanged')).toEqual([{ what: 'people map: Dana Whitfield (champion) left' }]);

      // Out of the people map runs read; listed with who left.
      const now = accountSchema.parse((await call('GET', `/accounts/${acme.id}`)).body);
      expect(now.stakeholders.map((s) => s.name)).not.toContain('Dana Whitfield');
      expect(stakeholderPageSchema.parse((await call('GET', `${people(acme.id)}?status=left`)).body).items.map((s) => s.id)).toEqual([dana.id]);

      // Again: nothing more is recorded or emitted (an integration resending the same news).
      expect((await salesforce.call('POST', `${people(acme.id)}/${dana.id}/left`, { reason: 'Joined another company' })).status).toBe(200);
      expect(await history(`${people(acme.id)}/${dana.id}/history`)).toHaveLength(2);
      expect(await eventsOf(acme.id, 'crm.champion_left')).toHaveLength(1);
      expect(await championLeftRuns(acme.id)).toHaveLength(1);

      // Back at the company: active again, nothing emitted.
      const back = await call('PATCH', `${people(acme.id)}/${dana.id}`, { status: 'active', reason: 'Came back' });
      expect(stakeholderSchema.parse(back.body)).toMatchObject({ status: 'active', leftAt: null });
      expect(await eventsOf(acme.id, 'crm.champion_left')).toHaveLength(1);
    });

    it('a sponsor moving to another role emits crm.sponsor_left; a champion deleted emits crm.champion_left; others leaving emit nothing', async () => {
      const globex = account('Globex Retail');
      const priya = person('Globex Retail', 'Priya Nair');
      const sam = person('Globex Retail', 'Sam Carter');
      const tom = person('Globex Retail', 'Tom Becker');

      expect((await call('PATCH', `${people(globex.id)}/${priya.id}`, { role: 'economic_buyer', reason: 'Took over the budget' })).status).toBe(200);
      const [sponsorLeft] = await eventsOf(globex.id, 'crm.sponsor_left');
      expect(sponsorLeft).toMatchObject({ source: 'cairn', data: { stakeholderId: priya.id, name: 'Priya Nair', role: 'sponsor', change: 'updated', reason: 'Took over the budget' } });
      expect((await history(`${people(globex.id)}/${priya.id}/history`))[0]).toMatchObject({ before: { role: 'sponsor' }, after: { role: 'economic_buyer' }, eventId: sponsorLeft.id });

      expect((await call('POST', `${people(globex.id)}/${tom.id}/left`, { reason: 'Retired' })).status).toBe(200);
      expect((await history(`${people(globex.id)}/${tom.id}/history`))[0]).toMatchObject({ kind: 'left', eventId: null });

      const deleted = await call('DELETE', `${people(globex.id)}/${sam.id}`, { reason: 'Entered under the wrong account' });
      expect(deleted).toEqual({ status: 204, body: null });
      expect((await call('GET', `${people(globex.id)}/${sam.id}`)).status).toBe(404);
      const [championGone] = await eventsOf(globex.id, 'crm.champion_left');
      expect(championGone).toMatchObject({ data: { stakeholderId: sam.id, name: 'Sam Carter', change: 'deleted' } });
      // The history of someone deleted stays.
      const samHistory = await history(`${people(globex.id)}/${sam.id}/history`);
      expect(samHistory.map((c) => c.kind)).toEqual(['deleted', 'created']);
      expect(samHistory[0]).toMatchObject({ before: expect.objectContaining({ name: 'Sam Carter', role: 'champion', status: 'active' }), after: null, eventId: championGone.id });
      expect((await championLeftRuns(globex.id)).map((r) => r.reason)).toEqual([`Event crm.champion_left (${championGone.id})`]);

      // Someone who had left, deleted: nothing more to announce.
      expect((await call('DELETE', `${people(globex.id)}/${tom.id}`, {})).status).toBe(204);
      expect(await eventsOf(globex.id, 'crm.champion_left')).toHaveLength(1);
      expect(await eventsOf(globex.id, 'crm.sponsor_left')).toHaveLength(1);
    });

    it('stores nothing when Temporal cannot be reached to route the event (503), and keeps a change that emits nothing', async () => {
      const stark = account('Stark Logistics');
      const pepper = person('Stark Logistics', 'Pepper Potts');
      const peter = person('Stark Logistics', 'Peter Parker');
      await idleRun(stark.id);
      const down = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_TASK_QUEUE: idleQueue })), { quiet: true });
      try {
        await down.listen(0, '127.0.0.1');
        const downBase = `http://127.0.0.1:${(down.getHttpServer().address() as AddressInfo).port}/api`;
        const refused = await callAt(downBase, 'POST', `${people(stark.id)}/${pepper.id}/left`, { reason: 'Left' });
        expect(refused.status).toBe(503);
        expect(stakeholderSchema.parse((await call('GET', `${people(stark.id)}/${pepper.id}`)).body).status).toBe('active');
        expect((await history(`${people(stark.id)}/${pepper.id}/history`)).map((c) => c.kind)).toEqual(['created']);
        expect(await eventsOf(stark.id, 'crm.champion_left')).toEqual([]);
        expect(await championLeftRuns(stark.id)).toEqual([]);

        // An admin leaving emits nothing: saved; only telling the runs failed.
        const saved = await callAt(downBase, 'POST', `${people(stark.id)}/${peter.id}/left`, { reason: 'Left' });
        expect(saved.status).toBe(503);
        expect(apiErrorSchema.parse(saved.body).message).toMatch(/^The people map was changed/);
        expect(stakeholderSchema.parse((await call('GET', `${people(stark.id)}/${peter.id}`)).body).status).toBe('left');
      } finally {
        await down.close();
      }
    });
  });

  describe('segments', () => {
    it('recomputes the account’s segment membership after a people change (role.* counts only active people)', async () => {
      const initech = account('Initech');
      const bill = person('Initech', 'Bill Lumbergh');
      const created = await asOps('POST', '/segments', { key: 'no-champion', name: 'No champion', touchModel: 'high', priority: 5_000, rule: { field: 'role.champion', op: 'not_exists' } });
      expect(created.status).toBe(201);
      const segment = segmentSchema.parse(created.body);
      const members = async () => segmentMemberPageSchema.parse((await call('GET', `/segments/${segment.id}/members`)).body).items.map((m) => m.name);
      expect(await members()).not.toContain('Initech');
      expect((await call('POST', `${people(initech.id)}/${bill.id}/left`, { reason: 'Took a package' })).status).toBe(200);
      expect(await members()).toContain('Initech');
      expect((await call('PATCH', `${people(initech.id)}/${bill.id}`, { status: 'active' })).status).toBe(200);
      expect(await members()).not.toContain('Initech');
    });
  });

  // The real engine: the built worker on a queue of its own, and a second API instance whose
  // enrollments go there (as engine-api.e2e.spec.ts does).
  describe('through a real champion-left run', () => {
    const realQueue = `cairn-people-real-${stamp}`;
    let realApp: INestApplication;
    let realBase: string;
    let worker: WorkerProcess;

    beforeAll(async () => {
      const env = { ...process.env, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: realQueue, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_LOG_LEVEL: 'WARN' };
      worker = await startWorkerProcess(env);
      realApp = await createApp(loadConfig(testEnv(env)), { quiet: true });
      await realApp.listen(0, '127.0.0.1');
      realBase = `http://127.0.0.1:${(realApp.getHttpServer().address() as AddressInfo).port}/api`;
    });

    afterAll(async () => {
      await realApp?.close();
      await worker?.stop();
    });

    const eventually = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number) => worker.eventually(what, probe, timeoutMs);

    it('waits for a new champion after the old one left, then meets the new one (the people map re-read, the recipient resolved anew)', async () => {
      const umbrella = account('Umbrella Health');
      const alice = person('Umbrella Health', 'Alice Abernathy');
      expect((await callAt(realBase, 'POST', `${people(umbrella.id)}/${alice.id}/left`, { reason: 'Moved to a competitor' })).status).toBe(200);
      const [run] = await eventually('the champion-left run to start', async () => {
        const runs = await championLeftRuns(umbrella.id);
        return runs.length ? runs : undefined;
      });
      // The run opens the re-map task and waits for someone to hold the champion role again.
      const task = await eventually('the re-map task', async () => taskPageSchema.parse((await call('GET', `/tasks?status=open&accountId=${umbrella.id}&limit=200`)).body).items.find((t) => t.runId === run.id));
      expect(task).toMatchObject({ nodeId: 'remap', completion: 'condition', title: 'Find and confirm the new champion' });
      await eventually('the run to wait on the task', async () => {
        const live = runSchema.parse((await call('GET', `/runs/${run.id}`)).body).live;
        return live?.active.some((a) => a.taskId === task.id) ? true : undefined;
      });
      expect((await ds.query(`SELECT attributes ->> 'champion_status' AS status FROM accounts WHERE id = $1`, [umbrella.id]))[0].status).toBe('vacant');

      const ada = await callAt(realBase, 'POST', people(umbrella.id), { name: 'Ada Wong', email: 'ada.wong@umbrella-health.example', role: 'champion', title: 'Head of Digital Health', reason: 'New champion' });
      expect(ada.status).toBe(201);
      const finished = await eventually('the run to complete', async () => {
        const current = runSchema.parse((await call('GET', `/runs/${run.id}`)).body);
        return current.status === 'completed' ? current : undefined;
      });
      expect(finished.steps.find((s) => s.nodeId === 'remap')).toMatchObject({ status: 'completed', outcome: 'done' });
      const meeting = finished.actions.find((a) => a.nodeId === 'welcome');
      expect(meeting).toMatchObject({ kind: 'meeting', target: 'champion' });
      expect(meeting?.detail).toMatchObject({ recipient: { name: 'Ada Wong', role: 'champion' } });
      expect((await ds.query(`SELECT attributes ->> 'champion_status' AS status FROM accounts WHERE id = $1`, [umbrella.id]))[0].status).toBe('mapped');
    });
  });
});
