import {
  accountEventPageSchema,
  accountSchema,
  apiErrorSchema,
  approvalSchema,
  ingestEventsResponseSchema,
  playbookSchema,
  publishResponseSchema,
  runSchema,
  taskPageSchema,
  taskSchema,
  userSchema, pageSchema } from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import { type RunState } from '@cairn/workflows';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { EVENT_ENROLLER, type EventEnroller } from '../src/events/event-triggers';
import { seedDemoWorkspace } from '../src/seed/seed';
import { type Caller, signInAs, openApiDocument, testEnv } from './support/auth';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';
import { type MessagesRunInput, receivedQuery } from './support/messages.workflow';

/**
 * The API's engine-facing endpoints (events, account profiles, tasks, approvals with edits, run
 * details) against real Postgres (a database of its own) and the real Temporal dev server. The
 * messages the API sends are checked in Temporal itself: signals in the history of workflows no
 * worker runs, Updates and queries answered by a stand-in run (support/messages.workflow.ts).
 */
describe('engine API: events, account profiles, tasks, approvals, run details', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  /** No worker polls this queue: workflows there only collect signals in their history. */
  const idleQueue = `cairn-api-idle-${stamp}`;
  const messagesQueue = `cairn-api-messages-${stamp}`;
  const database = `cairn_api_engine_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;

  let admin: DataSource;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let workerDone: Promise<void>;
  const accounts = new Map<string, z.infer<typeof accountSchema>>();
  const users = new Map<string, z.infer<typeof userSchema>>();
  let keys = 0;

  /** Signed in as Olivia Park (ops: publishes, enrolls, sends events, edits any account), the default caller. */
  let call: Caller;
  /** Casey Morgan (the CSM of every demo account) and Morgan Lee (her manager). */
  let casey: Caller;
  let morgan: Caller;

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
  const issuePaths = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);

  /** Publishes a small playbook (a trigger, then the end) and returns its ids. */
  async function publish(trigger: Record<string, unknown> = { on: 'manual' }) {
    const key = `api-engine-${++keys}`;
    const document = {
      schemaVersion: 2,
      key,
      name: `API engine ${keys}`,
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: trigger },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    };
    const created = await call('POST', '/playbooks', { document });
    expect(created.status).toBe(201);
    const playbook = playbookSchema.parse(created.body);
    const published = await call('POST', `/playbooks/${playbook.id}/publish`, {});
    expect(published.status).toBe(201);
    return { playbookId: playbook.id, versionId: publishResponseSchema.parse(published.body).id, key };
  }

  /** A `running` run row for the account (of a new playbook), with the workflow id given. */
  async function runRow(accountId: string, workflowId: string, playbook?: { playbookId: string; versionId: string }) {
    const { playbookId, versionId } = playbook ?? (await publish());
    const [row] = await ds.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by) VALUES ($1, $2, $3, $4, 'running', 'test') RETURNING id`,
      [workflowId, playbookId, versionId, accountId],
    );
    return { runId: row.id as string, playbookId, versionId };
  }

  /** A running run whose workflow waits on a queue no worker polls: it only collects signals. */
  async function idleRun(accountId: string, playbook?: { playbookId: string; versionId: string }) {
    const workflowId = `cairn-test:idle:${randomUUID()}`;
    const row = await runRow(accountId, workflowId, playbook);
    const handle = await client.workflow.start('playbookRun', { taskQueue: idleQueue, workflowId, args: [] });
    return { ...row, handle };
  }

  /** A running run answered by the stand-in workflow (Updates with validators, the state query). */
  async function messagesRunFor(accountId: string, input: Omit<MessagesRunInput, 'state'> & { state?: RunState }) {
    const workflowId = `cairn-test:messages:${randomUUID()}`;
    const row = await runRow(accountId, workflowId);
    const state: RunState = input.state ?? { status: 'running', currentStepId: 'start', pendingApprovalId: null, path: ['start'] };
    const handle = await client.workflow.start('messagesRun', { taskQueue: messagesQueue, workflowId, args: [{ ...input, state }] });
    return { ...row, handle };
  }

  /** The arguments of each `name` signal in the workflow's history, in order. */
  async function signalsIn(handle: WorkflowHandle, name: string): Promise<unknown[]> {
    const history = await handle.fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const signaled = event.workflowExecutionSignaledEventAttributes;
      if (signaled?.signalName !== name) return [];
      return [defaultPayloadConverter.fromPayload((signaled.input?.payloads ?? [])[0] ?? {})];
    });
  }

  /** A task row of the run (each on its own step, so a run can hold several). */
  async function openTask(runId: string, accountId: string, versionId: string, fields: { id?: string; completion?: string; assigneeId?: string | null; status?: string } = {}) {
    const [row] = await ds.query(
      `INSERT INTO tasks (id, run_id, node_id, account_id, playbook_version_id, title, owner_side, owner_role, assignee_id, completion, status, due_at, reason)
       VALUES ($1, $2, $3, $4, $5, 'Hold the kickoff call', 'ours', 'csm', $6, $7, $8, now() + interval '3 days', 'Step "Kickoff call" of the test playbook') RETURNING id`,
      [fields.id ?? randomUUID(), runId, `call-${randomUUID()}`, accountId, versionId, fields.assigneeId === undefined ? user('Casey Morgan').id : fields.assigneeId, fields.completion ?? 'person', fields.status ?? 'open'],
    );
    return row.id as string;
  }

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    ds = await createDataSource(url.toString()).initialize();
    await migrate(ds);
    await seedDemoWorkspace(ds);

    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    worker = await Worker.create({ connection: nativeConnection, taskQueue: messagesQueue, workflowsPath: require.resolve('./support/messages.workflow'), activities: {} });
    workerDone = worker.run();

    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: idleQueue })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    call = await signInAs(base, 'ops');
    casey = await signInAs(base, 'csm');
    morgan = await signInAs(base, 'cs_manager');
    for (const a of pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items) accounts.set(a.name, a);
    const asAdmin = await signInAs(base, 'admin');
    for (const u of pageSchema(userSchema).parse((await asAdmin('GET', '/users?limit=200')).body).items) users.set(u.name, u);
  });

  afterAll(async () => {
    await app?.close();
    if (worker) {
      worker.shutdown();
      await workerDone;
    }
    await nativeConnection?.close();
    await client?.connection.close();
    await ds?.destroy();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  describe('POST /api/events', () => {
    it('stores one event, signals it to every running run of the account, and skips a run whose workflow is gone', async () => {
      const acme = account('Acme Analytics');
      const first = await idleRun(acme.id);
      const second = await idleRun(acme.id);
      await runRow(acme.id, `cairn-test:gone:${randomUUID()}`); // marked running, but no workflow
      const other = await idleRun(account('Initech').id);

      const sent = await call('POST', '/events', { accountId: acme.id, type: 'product.sso_configured', data: { provider: 'okta' }, occurredAt: '2026-11-20T10:00:00.000Z' });
      expect(sent.status).toBe(202);
      const report = ingestEventsResponseSchema.parse(sent.body);
      expect(report).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0, events: [{ status: 'accepted', eventId: expect.any(String) }] });
      const eventId = report.events[0].eventId;

      const delivered = { eventId, type: 'product.sso_configured', data: { provider: 'okta' }, occurredAt: '2026-11-20T10:00:00.000Z' };
      expect(await signalsIn(first.handle, 'accountEvent')).toEqual([delivered]);
      expect(await signalsIn(second.handle, 'accountEvent')).toEqual([delivered]);
      expect(await signalsIn(other.handle, 'accountEvent')).toEqual([]);

      const page = accountEventPageSchema.parse((await call('GET', `/accounts/${acme.id}/events`)).body);
      expect(page.items[0]).toMatchObject({ id: eventId, accountId: acme.id, type: 'product.sso_configured', data: { provider: 'okta' }, source: 'api', idempotencyKey: null, occurredAt: '2026-11-20T10:00:00.000Z' });
    });

    it('answers 404 for a single event of an unknown account, and stores nothing', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const sent = await call('POST', '/events', { accountId: unknown, type: 'product.x_happened', idempotencyKey: `k-unknown-${stamp}` });
      expect(sent.status).toBe(404);
      expect(apiErrorSchema.parse(sent.body).error).toBe('not_found');
      expect((await ds.query(`SELECT count(*)::int AS n FROM account_events WHERE idempotency_key = $1`, [`k-unknown-${stamp}`]))[0].n).toBe(0);
    });

    it('stores an idempotency key once: the same event again is a duplicate, not stored or signalled again', async () => {
      const globex = account('Globex Retail');
      const run = await idleRun(globex.id);
      const event = { accountId: globex.id, type: 'product.report_exported', idempotencyKey: `export-${stamp}` };
      const first = ingestEventsResponseSchema.parse((await call('POST', '/events', event)).body);
      const again = await call('POST', '/events', { ...event, data: { changed: true } });
      expect(again.status).toBe(202);
      expect(ingestEventsResponseSchema.parse(again.body)).toEqual({ accepted: 0, duplicates: 1, rejected: 0, events: [{ status: 'duplicate', eventId: first.events[0].eventId }] });
      expect((await ds.query(`SELECT count(*)::int AS n FROM account_events WHERE idempotency_key = $1`, [event.idempotencyKey]))[0].n).toBe(1);
      expect(await signalsIn(run.handle, 'accountEvent')).toHaveLength(1);
    });

    it('maps a Segment track call to our shape: groupId (id or domain) is the account, messageId the idempotency key', async () => {
      const umbrella = account('Umbrella Health');
      const run = await idleRun(umbrella.id);
      const track = {
        type: 'track',
        event: 'SSO Configured',
        userId: 'u-42',
        groupId: 'Umbrella-Health.example',
        properties: { provider: 'azure_ad', seats: 600 },
        timestamp: '2026-11-21T08:30:00.000Z',
        messageId: `segment-${stamp}`,
        context: { library: { name: 'analytics-node' } },
        sentAt: '2026-11-21T08:30:01.000Z',
      };
      const sent = await call('POST', '/events', track);
      expect(sent.status).toBe(202);
      const eventId = ingestEventsResponseSchema.parse(sent.body).events[0].eventId;
      const page = accountEventPageSchema.parse((await call('GET', `/accounts/${umbrella.id}/events`)).body);
      expect(page.items.find((e) => e.id === eventId)).toEqual({
        id: eventId,
        accountId: umbrella.id,
        type: 'product.sso_configured',
        data: { provider: 'azure_ad', seats: 600, userId: 'u-42' },
        source: 'track',
        idempotencyKey: `segment-${stamp}`,
        occurredAt: '2026-11-21T08:30:00.000Z',
        receivedAt: expect.any(String),
      });
      expect(await signalsIn(run.handle, 'accountEvent')).toEqual([expect.objectContaining({ eventId, type: 'product.sso_configured' })]);
      // The same message again (Segment retries) is a duplicate.
      expect(ingestEventsResponseSchema.parse((await call('POST', '/events', track)).body).events[0]).toEqual({ status: 'duplicate', eventId });
    });

    it('reports each row of a batch: accepted, duplicate (also within the batch), rejected for an unknown account', async () => {
      const initech = account('Initech');
      const stark = account('Stark Logistics');
      const unknown = '00000000-0000-4000-8000-00000000beef';
      const sent = await call('POST', '/events', {
        events: [
          { accountId: initech.id, type: 'product.login', idempotencyKey: `batch-a-${stamp}` },
          { accountId: unknown, type: 'product.login' },
          { type: 'track', event: 'Seats Added', groupId: stark.id, properties: { count: 3 }, timestamp: '2026-11-21T09:00:00Z', messageId: `batch-b-${stamp}` },
          { accountId: initech.id, type: 'product.login', idempotencyKey: `batch-a-${stamp}` },
          { type: 'track', event: 'Seats Added', groupId: 'nobody.example', timestamp: '2026-11-21T09:00:00Z', messageId: `batch-c-${stamp}` },
        ],
      });
      expect(sent.status).toBe(202);
      const report = ingestEventsResponseSchema.parse(sent.body);
      expect(report).toMatchObject({ accepted: 2, duplicates: 1, rejected: 2 });
      expect(report.events.map((e) => e.status)).toEqual(['accepted', 'rejected', 'accepted', 'duplicate', 'rejected']);
      expect(report.events[1]).toEqual({ status: 'rejected', eventId: null, error: `Account ${unknown} does not exist` });
      expect(report.events[4].error).toBe('Account nobody.example does not exist');
      expect(report.events[3].eventId).toBe(report.events[0].eventId);
      const stored = accountEventPageSchema.parse((await call('GET', `/accounts/${stark.id}/events`)).body).items;
      expect(stored.find((e) => e.id === report.events[2].eventId)).toMatchObject({ type: 'product.seats_added', data: { count: 3 }, source: 'track' });
    });

    it('refuses a bad body with 400 naming each field, and a batch over 1,000 events', async () => {
      const acme = account('Acme Analytics');
      const cases: Array<[body: unknown, paths: string[]]> = [
        [{ accountId: acme.id, type: 'sso_configured' }, ['body.type']],
        [{ accountId: acme.id, type: 'product.x', source: 'cairn' }, ['body.source']],
        [{ accountId: 'acme', type: 'product.x', occurredAt: 'yesterday' }, ['body.accountId', 'body.occurredAt']],
        [{ type: 'track', event: 'Signed Up', groupId: acme.id, timestamp: '2026-11-21T09:00:00Z' }, ['body.messageId']],
        [{ type: 'track', event: 'Signed Up', groupId: acme.id, timestamp: '2026-11-21T09:00:00Z', messageId: 'm', accountId: acme.id }, ['body.accountId']],
        [{ events: [{ accountId: acme.id, type: 'product.x' }, { accountId: acme.id, type: 'Nope' }, { accountId: acme.id, type: 'product.y', extra: 1 }] }, ['body.events[1].type', 'body.events[2].extra']],
        [{ events: [], source: 'x' }, ['body.events', 'body.source']],
        [{ events: Array.from({ length: 1_001 }, () => ({ accountId: acme.id, type: 'product.x' })) }, ['body.events']],
      ];
      for (const [body, paths] of cases) {
        const answer = await call('POST', '/events', body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(issuePaths(answer.body).sort()).toEqual([...paths].sort());
      }
      // A full batch is fine.
      const full = await call('POST', '/events', { events: Array.from({ length: 1_000 }, (_, i) => ({ accountId: acme.id, type: 'product.page_viewed', data: { page: `/reports/${i}`, title: 'Weekly revenue report' } })) });
      expect(full.status).toBe(202);
      expect(ingestEventsResponseSchema.parse(full.body).accepted).toBe(1_000);
    });

    it('starts the playbooks an event triggers (signal-with-start, checking the trigger’s condition), or signals the run already open', async () => {
      const type = `crm.champion_left_${keys + 1}`;
      const anyPlan = await publish({ on: 'event', event: { type } });
      const enterpriseOnly = await publish({ on: 'event', event: { type, where: { field: 'account.plan', op: 'eq', value: 'enterprise' } } });
      const otherType = await publish({ on: 'event', event: { type: `${type}_other` } });
      const acme = account('Acme Analytics'); // plan: enterprise
      const stark = account('Stark Logistics'); // plan: starter
      const starkRun = await idleRun(stark.id, anyPlan); // Stark runs `anyPlan` already

      const report = ingestEventsResponseSchema.parse((await call('POST', '/events', { events: [{ accountId: acme.id, type, data: { who: 'Dana' } }, { accountId: stark.id, type }] })).body);
      expect(report.accepted).toBe(2);
      const [acmeEvent, starkEvent] = report.events.map((e) => e.eventId);
      const started: Array<{ id: string; playbook_id: string; account_id: string; workflow_id: string; enrolled_by: string; reason: string }> = await ds.query(
        `SELECT id, playbook_id, account_id, workflow_id, enrolled_by, reason FROM runs WHERE playbook_id = ANY($1) AND enrolled_by = 'event' ORDER BY playbook_id = $2 DESC`,
        [[anyPlan.playbookId, enterpriseOnly.playbookId, otherType.playbookId], anyPlan.playbookId],
      );
      expect(started.map((r) => [r.playbook_id, r.account_id])).toEqual([
        [anyPlan.playbookId, acme.id],
        [enterpriseOnly.playbookId, acme.id],
      ]);
      expect(started[0].reason).toBe(`Event ${type} (${acmeEvent})`);
      // Each new run started with the event in its history (no worker runs them: the queue is idle).
      for (const run of started) {
        expect(await signalsIn(client.workflow.getHandle(run.workflow_id), 'accountEvent')).toEqual([{ eventId: acmeEvent, type, data: { who: 'Dana' }, occurredAt: expect.any(String) }]);
      }
      expect(await signalsIn(starkRun.handle, 'accountEvent')).toEqual([expect.objectContaining({ eventId: starkEvent, type })]);

      // The next such event finds the runs open: delivered to them, nothing new started.
      const next = ingestEventsResponseSchema.parse((await call('POST', '/events', { accountId: acme.id, type })).body).events[0].eventId;
      expect((await ds.query(`SELECT count(*)::int AS n FROM runs WHERE account_id = $1 AND playbook_id = ANY($2)`, [acme.id, [anyPlan.playbookId, enterpriseOnly.playbookId]]))[0].n).toBe(2);
      for (const run of started) {
        expect((await signalsIn(client.workflow.getHandle(run.workflow_id), 'accountEvent')).map((e) => (e as { eventId: string }).eventId)).toEqual([acmeEvent, next]);
      }
    });

    it('routes through the EventEnroller: what it is asked for, and that a skip is not an error', async () => {
      const enroller = app.get<EventEnroller>(EVENT_ENROLLER);
      const enroll = jest.spyOn(enroller, 'enrollWithEvent').mockResolvedValue({ status: 'skipped', code: 'audience', reason: 'Not in the audience', runId: null });
      try {
        const type = `product.trial_started_${keys + 1}`;
        const playbook = await publish({ on: 'event', event: { type } });
        const initech = account('Initech');
        const sent = await call('POST', '/events', { accountId: initech.id, type, data: { plan: 'pro' } });
        expect(sent.status).toBe(202);
        const eventId = ingestEventsResponseSchema.parse(sent.body).events[0].eventId;
        expect(enroll.mock.calls).toEqual([[{ accountId: initech.id, playbookId: playbook.playbookId, event: { eventId, type, data: { plan: 'pro' }, occurredAt: expect.any(String) }, reason: `Event ${type} (${eventId})` }]]);
      } finally {
        enroll.mockRestore();
      }
    });
  });

  describe('GET /api/accounts/:id/events', () => {
    it('pages newest first with limit and cursor', async () => {
      const stark = account('Stark Logistics');
      const times = ['2026-10-01T00:00:00.000Z', '2026-10-03T00:00:00.000Z', '2026-10-02T00:00:00.000Z'];
      const marker = `paging_${keys + 1}`;
      await call('POST', '/events', { events: times.map((occurredAt) => ({ accountId: stark.id, type: `product.${marker}`, occurredAt })) });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const answer = await call('GET', `/accounts/${stark.id}/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        const page = accountEventPageSchema.parse(answer.body);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((e) => e.occurredAt));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...seen].sort().reverse());
      expect(seen).toEqual(expect.arrayContaining(times));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('refuses a made-up cursor, an unknown parameter and an unknown account', async () => {
      const stark = account('Stark Logistics');
      expect(issuePaths((await call('GET', `/accounts/${stark.id}/events?cursor=bm90LWEtY3Vyc29y`)).body)).toEqual(['query.cursor']);
      expect(issuePaths((await call('GET', `/accounts/${stark.id}/events?limit=500`)).body)).toEqual(['query.limit']);
      expect(issuePaths((await call('GET', `/accounts/${stark.id}/events?kind=product.x`)).body)).toEqual(['query.kind']);
      expect((await call('GET', '/accounts/00000000-0000-4000-8000-000000000000/events')).status).toBe(404);
    });
  });

  describe('PATCH /api/accounts/:id', () => {
    it('merges the profile in one transaction and tells each running run what changed', async () => {
      const globex = account('Globex Retail');
      expect(globex).toMatchObject({ timezone: 'Europe/Berlin', attributes: { plan: 'enterprise', region: 'emea' }, metrics: { weekly_active_users: expect.any(Number) } });
      const run = await idleRun(globex.id);
      // Attributes are checked against the field schema: `sso` is a field of the workspace's own.
      expect((await call('POST', '/account-fields', { key: 'sso', label: 'SSO configured', type: 'boolean' })).status).toBe(201);
      const patched = await call('PATCH', `/accounts/${globex.id}`, {
        timezone: 'europe/paris',
        attributes: { renewal_date: '2027-10-01', region: null, sso: true, plan: 'enterprise' },
        metrics: { weekly_active_users: 131 },
      });
      expect(patched.status).toBe(200);
      const changed = accountSchema.parse(patched.body);
      expect(changed.timezone).toBe('Europe/Paris');
      expect(changed.attributes).toEqual({ ...globex.attributes, renewal_date: '2027-10-01', sso: true, region: undefined });
      expect('region' in changed.attributes).toBe(false);
      expect(changed.metrics).toEqual({ ...globex.metrics, weekly_active_users: 131 });
      expect(accountSchema.parse((await call('GET', `/accounts/${globex.id}`)).body)).toEqual(changed);
      // `plan` was sent unchanged: not named.
      expect(await signalsIn(run.handle, 'accountChanged')).toEqual([{ what: 'timezone, renewal_date, region, sso, metric.weekly_active_users' }]);

      // The same request again changes nothing, and still tells the runs (how a retry after a 503 reaches them).
      expect((await call('PATCH', `/accounts/${globex.id}`, { metrics: { weekly_active_users: 131 } })).status).toBe(200);
      expect((await signalsIn(run.handle, 'accountChanged')).at(-1)).toEqual({ what: 'metric.weekly_active_users' });
    });

    it('refuses a bad profile with 400 naming the field, and an unknown account with 404', async () => {
      const initech = account('Initech');
      const cases: Array<[body: unknown, paths: string[]]> = [
        [{ timezone: 'Mars/Olympus_Mons' }, ['body.timezone']],
        [{ attributes: { renewal_date: 'next spring' } }, ['body.attributes.renewal_date']],
        [{ attributes: { renewalDate: '2027-01-01' } }, ['body.attributes.renewalDate']],
        [{ attributes: { tier: 'gold', seats: 'many' } }, ['body.attributes.tier', 'body.attributes.seats']],
        [{ metrics: { nps: 'high' } }, ['body.metrics.nps']],
        [{ name: 'Initrode' }, ['body.name', 'body']],
        [{}, ['body']],
      ];
      for (const [body, paths] of cases) {
        const answer = await call('PATCH', `/accounts/${initech.id}`, body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(issuePaths(answer.body)).toEqual(paths);
      }
      expect(accountSchema.parse((await call('GET', `/accounts/${initech.id}`)).body)).toEqual(initech);
      expect((await call('PATCH', '/accounts/00000000-0000-4000-8000-000000000000', { timezone: 'UTC' })).status).toBe(404);
    });
  });

  describe('tasks', () => {
    it('lists the inbox with filters and shows one task', async () => {
      const acme = account('Acme Analytics');
      const { runId, versionId } = await idleRun(acme.id);
      const taskId = await openTask(runId, acme.id, versionId);
      const open = taskPageSchema.parse((await call('GET', `/tasks?status=open&assigneeId=${user('Casey Morgan').id}&accountId=${acme.id}&limit=200`)).body).items;
      expect(open.find((t) => t.id === taskId)).toMatchObject({ runId, accountName: 'Acme Analytics', assigneeName: 'Casey Morgan', completion: 'person', status: 'open', ownerSide: 'ours', title: 'Hold the kickoff call' });
      expect(taskPageSchema.parse((await call('GET', `/tasks?status=done&accountId=${acme.id}&limit=200`)).body).items.find((t) => t.id === taskId)).toBeUndefined();
      expect(taskSchema.parse((await call('GET', `/tasks/${taskId}`)).body).id).toBe(taskId);
      expect((await call('GET', '/tasks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect(issuePaths((await call('GET', '/tasks?status=later&limit=0')).body).sort()).toEqual(['query.limit', 'query.status']);
    });

    it('completes a task through the run’s Update, with the person’s role; a refusal is 409 and rolls the completion back', async () => {
      const umbrella = account('Umbrella Health');
      const caseyId = user('Casey Morgan').id;
      const taskId = randomUUID();
      const { runId, versionId, handle } = await messagesRunFor(umbrella.id, { assigneeId: caseyId, openTaskIds: [taskId], pendingApprovalIds: [] });
      await openTask(runId, umbrella.id, versionId, { id: taskId });
      const unknownToRun = await openTask(runId, umbrella.id, versionId);

      // A task the run does not hold open: refused by its validator, and the task stays open.
      const refused = await casey('POST', `/tasks/${unknownToRun}/complete`, {});
      expect(refused.status).toBe(409);
      expect(apiErrorSchema.parse(refused.body).message).toContain(`This run has no open task ${unknownToRun}`);
      expect(taskSchema.parse((await call('GET', `/tasks/${unknownToRun}`)).body)).toMatchObject({ status: 'open', completedById: null, completedAt: null });

      // Neither the owner nor a manager (ops, not assigned): refused by the API before the run hears of it; nothing recorded.
      const notOwner = await call('POST', `/tasks/${taskId}/complete`, { note: 'Done' });
      expect(notOwner).toMatchObject({ status: 403, body: { permission: 'tasks:complete', message: 'You may complete tasks only where you are the assignee' } });
      expect(taskSchema.parse((await call('GET', `/tasks/${taskId}`)).body)).toMatchObject({ status: 'open', note: null });

      const done = await casey('POST', `/tasks/${taskId}/complete`, { note: 'Call held, notes in the CRM' });
      expect(done.status).toBe(200);
      expect(taskSchema.parse(done.body)).toMatchObject({ status: 'done', completedById: caseyId, completedByName: 'Casey Morgan', note: 'Call held, notes in the CRM', completedAt: expect.any(String) });
      expect(await handle.query(receivedQuery)).toEqual([
        { update: 'completeTask', message: { taskId, completedById: caseyId, completedByName: 'Casey Morgan', completedByRole: 'csm', note: 'Call held, notes in the CRM' } },
      ]);
      // Done once: a second completion is refused before it reaches the run.
      expect((await casey('POST', `/tasks/${taskId}/complete`, {})).status).toBe(409);
      expect(await handle.query(receivedQuery)).toHaveLength(1);
    });

    it('lets a manager complete a task assigned to someone else', async () => {
      const initech = account('Initech');
      const taskId = randomUUID();
      const { runId, versionId, handle } = await messagesRunFor(initech.id, { assigneeId: user('Casey Morgan').id, openTaskIds: [taskId], pendingApprovalIds: [] });
      await openTask(runId, initech.id, versionId, { id: taskId });
      const done = await morgan('POST', `/tasks/${taskId}/complete`, {});
      expect(done.status).toBe(200);
      expect((await handle.query(receivedQuery))[0].message).toMatchObject({ completedByName: 'Morgan Lee', completedByRole: 'cs_manager' });
    });

    it('guards completion: unknown task 404, bad body 400 (naming who completes included), a task that completes on its own or is closed 409, a run that is gone 409', async () => {
      const stark = account('Stark Logistics');
      const { runId, versionId } = await idleRun(stark.id);
      expect((await casey('POST', '/tasks/00000000-0000-4000-8000-000000000000/complete', {})).status).toBe(404);
      const byEvent = await openTask(runId, stark.id, versionId, { completion: 'event' });
      expect(issuePaths((await casey('POST', `/tasks/${byEvent}/complete`, { completedByRole: 'admin' })).body)).toEqual(['body.completedByRole']);
      expect(issuePaths((await casey('POST', `/tasks/${byEvent}/complete`, { completedById: user('Casey Morgan').id })).body)).toEqual(['body.completedById']);
      const answer = await casey('POST', `/tasks/${byEvent}/complete`, {});
      expect(answer.status).toBe(409);
      expect(apiErrorSchema.parse(answer.body).message).toMatch(/completes on its own/);
      const cancelled = await openTask(runId, stark.id, versionId, { status: 'cancelled' });
      expect((await casey('POST', `/tasks/${cancelled}/complete`, {})).status).toBe(409);

      const { runId: goneRun, versionId: goneVersion } = await runRow(stark.id, `cairn-test:gone:${randomUUID()}`);
      const orphan = await openTask(goneRun, stark.id, goneVersion);
      const gone = await casey('POST', `/tasks/${orphan}/complete`, {});
      expect(gone.status).toBe(409);
      expect(taskSchema.parse((await call('GET', `/tasks/${orphan}`)).body).status).toBe('open');
    });

    // The real engine end to end: the built worker (as thin-path.e2e.spec.ts starts it) on a queue
    // of its own, and a second API instance whose enrollments go there.
    describe('through a real playbook run', () => {
      const realQueue = `cairn-api-real-${stamp}`;
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

      it('completes a task of a real playbook run: the run leaves the task step by its "done" output', async () => {
        const at = await signInAs(realBase, 'ops');
        const caseyAt = await signInAs(realBase, 'csm');
        const document = {
          schemaVersion: 2,
          key: `api-engine-task-${stamp}`,
          name: 'Kickoff call',
          nodes: [
            { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
            { id: 'call', type: 'task', position: { x: 0, y: 100 }, data: { label: 'Kickoff call', title: 'Hold the kickoff call with {{account.name}}', owner: { side: 'ours', role: 'csm' }, due: { days: 3 }, completion: { by: 'person' } } },
            { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: {} },
          ],
          edges: [
            { id: 'e1', source: 'start', target: 'call' },
            { id: 'e2', source: 'call', target: 'done', sourceHandle: 'done' },
          ],
        };
        const playbook = playbookSchema.parse((await at('POST', '/playbooks', { document })).body);
        expect((await at('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
        const acme = account('Acme Analytics');
        const enrolled = await at('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme.id });
        expect(enrolled.status).toBe(201);
        const run = runSchema.parse(enrolled.body);
        const task = await eventually('the task to open', async () => taskPageSchema.parse((await at('GET', `/tasks?status=open&accountId=${acme.id}&limit=200`)).body).items.find((t) => t.runId === run.id));
        expect(task).toMatchObject({ nodeId: 'call', completion: 'person', assigneeName: 'Casey Morgan', title: 'Hold the kickoff call with Acme Analytics' });
        await eventually('the run to wait on the task', async () => {
          const live = runSchema.parse((await at('GET', `/runs/${run.id}`)).body).live;
          return live?.active.some((a) => a.taskId === task.id) ? true : undefined;
        });

        expect((await at('POST', `/tasks/${task.id}/complete`, {})).status).toBe(403);
        const done = await caseyAt('POST', `/tasks/${task.id}/complete`, { note: 'Held' });
        expect(done.status).toBe(200);
        const finished = await eventually('the run to complete', async () => {
          const current = runSchema.parse((await at('GET', `/runs/${run.id}`)).body);
          return current.status === 'completed' ? current : undefined;
        });
        expect(finished.steps.find((s) => s.nodeId === 'call')).toMatchObject({ status: 'completed', outcome: 'done' });
      });

      it('explains each step of a run with a branch: why it fired, and which case was taken and why', async () => {
        const at = await signInAs(realBase, 'ops');
        const document = {
          schemaVersion: 2,
          key: `api-engine-branch-${stamp}`,
          name: 'Usage check',
          nodes: [
            { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
            { id: 'usage', type: 'branch', position: { x: 0, y: 100 }, data: { label: 'Usage?', cases: [{ id: 'low', label: 'Low usage', when: { field: 'metric.seats_active', op: 'lt', value: 20 } }] } },
            { id: 'rescue', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'exited' } },
            { id: 'fine', type: 'end', position: { x: 200, y: 200 }, data: {} },
          ],
          edges: [
            { id: 'e1', source: 'start', target: 'usage' },
            { id: 'e2', source: 'usage', target: 'rescue', sourceHandle: 'low' },
            { id: 'e3', source: 'usage', target: 'fine', sourceHandle: 'otherwise' },
          ],
        };
        const playbook = playbookSchema.parse((await at('POST', '/playbooks', { document })).body);
        expect((await at('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
        const finishedRun = async (name: string) => {
          const enrolled = await at('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: account(name).id, reason: 'Quarterly usage review' });
          expect(enrolled.status).toBe(201);
          const { id } = runSchema.parse(enrolled.body);
          return eventually(`the run of ${name} to end`, async () => {
            const current = runSchema.parse((await at('GET', `/runs/${id}`)).body);
            return current.status !== 'running' ? current : undefined;
          });
        };

        // Initech has 14 active seats: the "Low usage" case holds, and the step says so with the value read.
        const initech = await finishedRun('Initech');
        const low = '"Low usage" taken: metric.seats_active 14 < 20';
        // Steps started within one millisecond tie on their time (and come by id): compare them by node.
        const byNode = (steps: typeof initech.steps) => Object.fromEntries(steps.map((s) => [s.nodeId, [s.outcome, s.startedReason, s.reason]]));
        expect(byNode(initech.steps)).toEqual({
          start: ['next', 'Account enrolled', 'Account enrolled'],
          usage: ['low', low, low],
          rescue: ['exited', 'Exited the playbook', 'Exited the playbook'],
        });
        expect(initech.status).toBe('exited');
        expect(initech.steps.some((s) => s.nodeId === 'fine')).toBe(false);

        // Acme has 231: no case holds, and the step says what each case needed.
        const acme = await finishedRun('Acme Analytics');
        expect(acme.steps.find((s) => s.nodeId === 'usage')).toMatchObject({ outcome: 'otherwise', reason: 'No case held: "Low usage" needs metric.seats_active 231 < 20' });
        expect(acme.steps.some((s) => s.nodeId === 'fine')).toBe(true);
      });
    });
  });

  describe('approvals', () => {
    async function pendingApproval(runId: string, accountId: string, proposed: object | null) {
      const [row] = await ds.query(
        `INSERT INTO approvals (run_id, node_id, account_id, assignee_id, title, status, proposed, due_at) VALUES ($1, 'approve', $2, $3, 'Send the kickoff email?', 'pending', $4, now() + interval '2 days') RETURNING id`,
        [runId, accountId, user('Casey Morgan').id, proposed === null ? null : JSON.stringify(proposed)],
      );
      return row.id as string;
    }

    it('passes the decider’s role and an edited touch to the run, and stores the touch as edited', async () => {
      const acme = account('Acme Analytics');
      const caseyId = user('Casey Morgan').id;
      const proposed = { channel: 'email', to: 'dana.whitfield@acme-analytics.example', subject: 'Kicking off', body: 'Hi Dana' };
      const workflowId = `cairn-test:messages:${randomUUID()}`;
      const { runId } = await runRow(acme.id, workflowId);
      const approvalId = await pendingApproval(runId, acme.id, proposed);
      const handle = await client.workflow.start('messagesRun', {
        taskQueue: messagesQueue,
        workflowId,
        args: [{ assigneeId: caseyId, openTaskIds: [], pendingApprovalIds: [approvalId], state: { status: 'running', currentStepId: 'approve', pendingApprovalId: approvalId, path: ['start', 'approve'] } }],
      });
      const before = approvalSchema.parse((await call('GET', `/approvals/${approvalId}`)).body);
      expect(before).toMatchObject({ escalationLevel: 0, resolution: null, status: 'pending' });

      expect(issuePaths((await casey('POST', `/approvals/${approvalId}/decision`, { decision: 'rejected', editedTouch: { body: 'x' } })).body)).toEqual(['body.editedTouch']);
      const decided = await casey('POST', `/approvals/${approvalId}/decision`, { decision: 'approved', editedTouch: { subject: 'Welcome aboard, Acme' } });
      expect(decided.status).toBe(200);
      expect(approvalSchema.parse(decided.body)).toMatchObject({ status: 'approved', proposed: { ...proposed, subject: 'Welcome aboard, Acme' } });
      expect(await handle.query(receivedQuery)).toEqual([
        { update: 'decideApproval', message: { approvalId, decision: 'approved', decidedById: caseyId, decidedByName: 'Casey Morgan', decidedByRole: 'csm', editedTouch: { subject: 'Welcome aboard, Acme' } } },
      ]);
    });

    it('refuses to edit an approval with no touch', async () => {
      const initech = account('Initech');
      const { runId } = await idleRun(initech.id);
      const approvalId = await pendingApproval(runId, initech.id, null);
      const answer = await casey('POST', `/approvals/${approvalId}/decision`, { decision: 'approved', editedTouch: { body: 'Hello' } });
      expect(answer.status).toBe(400);
      expect(issuePaths(answer.body)).toEqual(['body.editedTouch']);
      expect(approvalSchema.parse((await call('GET', `/approvals/${approvalId}`)).body).status).toBe('pending');
    });
  });

  describe('GET /api/runs/:id', () => {
    it('adds the live state, the run’s side effects and its milestones', async () => {
      const umbrella = account('Umbrella Health');
      const state: RunState = {
        status: 'running',
        currentStepId: 'call',
        pendingApprovalId: null,
        path: ['start', 'call'],
        enrolledAt: '2026-11-01T09:00:00.000Z',
        active: [{ stepId: 'call', type: 'task', label: 'Kickoff call', visit: 0, since: '2026-11-02T09:00:00.000Z', waitingFor: 'Casey Morgan to hold the call', until: '2026-11-05T09:00:00.000Z', taskId: 't-1' }],
        done: [{ stepId: 'start', visit: 0, outcome: 'next', reason: 'Enrolled manually', at: '2026-11-01T09:00:00.000Z' }],
        milestones: [{ stepId: 'm1', name: 'First value', targetDay: 30, status: 'reached_on_time', day: 12.5, at: '2026-11-13T21:00:00.000Z' }],
        generation: 1,
      };
      const { runId, versionId } = await messagesRunFor(umbrella.id, { assigneeId: null, openTaskIds: [], pendingApprovalIds: [], state });
      await ds.query(
        `INSERT INTO run_actions (idempotency_key, run_id, node_id, visit, playbook_version_id, account_id, kind, target, status, detail, reason)
         VALUES ($1, $2, 'ping', 0, $3, $4, 'chat', 'account_team', 'done', '{"channel":"#cs-umbrella"}', 'Step "Tell the team"')`,
        [`${runId}:ping:0`, runId, versionId, umbrella.id],
      );
      await ds.query(
        `INSERT INTO run_milestones (run_id, node_id, visit, account_id, playbook_version_id, name, target_day, status, day, reason, recorded_at) VALUES ($1, 'm1', 0, $2, $3, 'First value', 30, 'reached_on_time', 12.5, 'Reached on day 12.5', '2026-11-13T21:00:00Z')`,
        [runId, umbrella.id, versionId],
      );
      const answer = await call('GET', `/runs/${runId}`);
      expect(answer.status).toBe(200);
      const run = runSchema.parse(answer.body);
      expect(run.live).toEqual({ ...state, active: [state.active?.[0]], generation: 1 });
      expect(run.actions).toEqual([expect.objectContaining({ nodeId: 'ping', kind: 'chat', target: 'account_team', status: 'done', detail: { channel: '#cs-umbrella' }, approvalId: null })]);
      expect(run.milestones).toEqual([expect.objectContaining({ nodeId: 'm1', name: 'First value', targetDay: 30, status: 'reached_on_time', day: 12.5 })]);
    });

    it('shows live: null when no worker answers in time, or when the run is closed', async () => {
      const { runId } = await idleRun(account('Stark Logistics').id);
      const started = Date.now();
      const run = runSchema.parse((await call('GET', `/runs/${runId}`)).body);
      expect(run.live).toBeNull();
      expect(Date.now() - started).toBeLessThan(6_000);
      await ds.query(`UPDATE runs SET status = 'completed', ended_at = now() WHERE id = $1`, [runId]);
      expect(runSchema.parse((await call('GET', `/runs/${runId}`)).body)).toMatchObject({ status: 'completed', live: null, actions: [], milestones: [] });
    });
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const openapi = await openApiDocument(base);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/events', '/api/accounts/{id}/events', '/api/tasks', '/api/tasks/{id}', '/api/tasks/{id}/complete']));
    expect(Object.keys(openapi.paths['/api/accounts/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
  });
});
