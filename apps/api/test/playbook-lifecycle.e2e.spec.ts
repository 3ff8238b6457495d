import { accountSchema, apiErrorSchema, playbookDiffSchema, playbookSchema, playbookSummarySchema, playbookVersionSchema, publishResponseSchema, runSchema, savedDraftSchema, pageSchema } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

/**
 * A playbook's life against real Postgres and the real Temporal dev server: autosaved drafts with
 * revisions and diagnostics, versions with notes, diffs, what a publish does to runs in flight,
 * archiving. Runs start on a queue no worker polls: their history shows the signals they got.
 */
describe('playbook lifecycle API', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const idleQueue = `cairn-api-lifecycle-${stamp}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  let accounts: Array<z.infer<typeof accountSchema>>;

  /** Signed in as Olivia Park (ops). */
  let token: string;
  async function call(method: string, path: string, body?: unknown) {
    const headers = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  const document = (key: string, wait = '3 days', extra: Record<string, unknown> = {}) => ({
    schemaVersion: 2,
    key,
    name: `Lifecycle ${key}`,
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: wait } },
      { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'done' },
    ],
    ...extra,
  });
  async function create(key: string) {
    const created = await call('POST', '/playbooks', { document: document(key) });
    expect(created.status).toBe(201);
    return playbookSchema.parse(created.body);
  }
  async function signalsOf(workflowId: string, name: string) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName === name ? [defaultPayloadConverter.fromPayload(e.workflowExecutionSignaledEventAttributes.input?.payloads?.[0] ?? {})] : []));
  }

  beforeAll(async () => {
    db = await seededDatabase('lifecycle');
    ds = db.ds;
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: idleQueue, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    token = (await signIn(base, DEMO_EMAIL.ops)).accessToken;
    accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
  });

  afterAll(async () => {
    await app?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('autosaves the draft with a revision, answers with its diagnostics, and refuses a stale save', async () => {
    const playbook = await create('autosave');
    expect(playbook.draftRevision).toBe(1);
    const broken = document('autosave', '3 days');
    broken.edges = [broken.edges[0]]; // `wait` leads nowhere: saved, but it would not publish
    const saved = await call('PUT', `/playbooks/${playbook.id}/draft`, { document: broken, baseRevision: 1 });
    expect(saved.status).toBe(200);
    const draft = savedDraftSchema.parse(saved.body);
    expect(draft.draftRevision).toBe(2);
    expect(draft.diagnostics.filter((d) => d.severity === 'error').map((d) => d.nodeId)).toContain('wait');

    const stale = await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('autosave'), baseRevision: 1 });
    expect(stale.status).toBe(409);
    expect(apiErrorSchema.parse(stale.body).message).toMatch(/revision 2, yours 1/);
    const fixed = savedDraftSchema.parse((await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('autosave'), baseRevision: 2 })).body);
    expect(fixed).toMatchObject({ draftRevision: 3, diagnostics: [] });
    // A save that does not name a revision always goes through (API and CLI clients).
    expect((await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('autosave') })).status).toBe(200);
  });

  it('keeps a note on each version and shows what changed between versions and against the draft', async () => {
    const playbook = await create('versions');
    const v1 = publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, { note: 'First cut' })).body);
    expect(v1).toMatchObject({ version: 1, note: 'First cut', inFlight: { policy: 'finish', running: 0, exited: 0 } });
    await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('versions', '5 days') });

    const pending = playbookDiffSchema.parse((await call('GET', `/playbooks/${playbook.id}/diff`)).body);
    expect(pending).toMatchObject({ from: 1, to: 'draft', sameBehaviour: false });
    expect(pending.nodes.changed).toEqual([{ id: 'wait', type: 'wait', changes: [{ path: 'data.duration', before: '3 days', after: '5 days' }], moved: false }]);

    publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, { note: 'Give customers two more days' })).body);
    const between = playbookDiffSchema.parse((await call('GET', `/playbooks/${playbook.id}/diff?from=1&to=2`)).body);
    expect(between.nodes.changed[0].changes).toEqual(pending.nodes.changed[0].changes);
    const history = playbookSchema.parse((await call('GET', `/playbooks/${playbook.id}`)).body).versions;
    expect(history.map((v) => [v.version, v.note])).toEqual([
      [2, 'Give customers two more days'],
      [1, 'First cut'],
    ]);
    // Each version is readable on its own, immutable: its document as published, not the draft.
    const v1Read = await call('GET', `/playbook-versions/${history[1].id}`);
    expect(v1Read.status).toBe(200);
    const v1Version = playbookVersionSchema.parse(v1Read.body);
    expect(v1Version).toMatchObject({ id: history[1].id, playbookId: playbook.id, version: 1, note: 'First cut' });
    expect(v1Version.document.nodes.find((n) => n.id === 'wait')?.data).toMatchObject({ duration: '3 days' });
    expect(playbookVersionSchema.parse((await call('GET', `/playbook-versions/${history[0].id}`)).body).document.nodes.find((n) => n.id === 'wait')?.data).toMatchObject({ duration: '5 days' });
    expect((await call('GET', '/playbook-versions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(apiErrorSchema.parse((await call('GET', '/playbook-versions/not-a-version')).body).issues.map((i) => i.path)).toEqual(['params.id']);
    const unknown = await call('GET', `/playbooks/${playbook.id}/diff?from=7`);
    expect(unknown.status).toBe(400);
    expect(apiErrorSchema.parse(unknown.body).issues.map((i) => i.path)).toEqual(['query.from']);
    expect((await call('GET', `/playbooks/${playbook.id}/diff?from=latest`)).status).toBe(400);
  });

  it('lets runs in flight finish on their version by default, or stops them when asked', async () => {
    const playbook = await create('in-flight');
    await call('POST', `/playbooks/${playbook.id}/publish`, {});
    const enrolled = runSchema.pick({ id: true, workflowId: true }).parse((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: accounts[0].id })).body);

    await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('in-flight', '4 days') });
    const kept = publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, { note: 'v2' })).body);
    expect(kept.inFlight).toEqual({ policy: 'finish', running: 1, exited: 0 });
    expect(await signalsOf(enrolled.workflowId, 'cancelRun')).toEqual([]);

    await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('in-flight', '6 days') });
    const exited = publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, { note: 'Shorter path', inFlight: 'exit' })).body);
    expect(exited).toMatchObject({ version: 3, inFlight: { policy: 'exit', running: 1, exited: 1 } });
    expect(await signalsOf(enrolled.workflowId, 'cancelRun')).toEqual([
      { cancelledById: `publish:${exited.id}`, cancelledByName: 'Olivia Park', reason: 'version 3 of Lifecycle in-flight was published with runs in flight exited (Shorter path)' },
    ]);
    expect((await call('POST', `/playbooks/${playbook.id}/publish`, { inFlight: 'later' })).status).toBe(400);
  });

  it('archives: hidden from the list, nothing to publish, no trigger; and back', async () => {
    const playbook = await create('archived');
    await call('POST', `/playbooks/${playbook.id}/publish`, {});
    const archived = await call('POST', `/playbooks/${playbook.id}/archive`, { reason: 'Replaced by the new onboarding' });
    expect(archived.status).toBe(200);
    expect(playbookSchema.parse(archived.body).archivedAt).toEqual(expect.any(String));
    const listed = pageSchema(playbookSummarySchema).parse((await call('GET', '/playbooks')).body).items.map((p) => p.key);
    expect(listed).not.toContain('archived');
    expect(pageSchema(playbookSummarySchema).parse((await call('GET', '/playbooks?includeArchived=true')).body).items.map((p) => p.key)).toContain('archived');
    const refused = await call('POST', `/playbooks/${playbook.id}/publish`, {});
    expect(refused.status).toBe(409);
    expect(apiErrorSchema.parse(refused.body).message).toMatch(/archived/);

    const back = await call('POST', `/playbooks/${playbook.id}/unarchive`);
    expect(playbookSchema.parse(back.body).archivedAt).toBeNull();
    expect(pageSchema(playbookSummarySchema).parse((await call('GET', '/playbooks')).body).items.map((p) => p.key)).toContain('archived');
  });

  it('keeps a schedule-triggered playbook’s Temporal Schedule in step with its versions and archive state', async () => {
    const scheduled = (cron: string, timezone = 'Europe/Berlin') => ({ ...document('weekly-digest'), nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'schedule', cron, timezone } }, ...document('x').nodes.slice(1)] });
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document: scheduled('0 9 * * 1') })).body);
    const first = publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, {})).body);
    expect(first.schedule).toBe('created');
    const handle = client.schedule.getHandle('cairn:schedule:weekly-digest');
    let described = await handle.describe();
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledEnrollment', args: [{ playbookKey: 'weekly-digest' }], taskQueue: idleQueue });
    expect(described.state.paused).toBe(false);
    // Mondays at 09:00 Berlin time.
    const next = described.info.nextActionTimes[0];
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Mon 09:00');

    await call('PUT', `/playbooks/${playbook.id}/draft`, { document: scheduled('30 7 1 * *', 'UTC') });
    expect(publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, {})).body).schedule).toBe('updated');
    described = await handle.describe();
    expect(described.spec.timezone).toBe('UTC');
    expect(described.info.nextActionTimes[0].toISOString()).toMatch(/-01T07:30:00\.000Z$/);

    await call('POST', `/playbooks/${playbook.id}/archive`, {});
    expect((await handle.describe()).state.paused).toBe(true);
    await call('POST', `/playbooks/${playbook.id}/unarchive`);
    expect((await handle.describe()).state.paused).toBe(false);

    await call('PUT', `/playbooks/${playbook.id}/draft`, { document: document('weekly-digest') });
    expect(publishResponseSchema.parse((await call('POST', `/playbooks/${playbook.id}/publish`, {})).body).schedule).toBe('deleted');
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('starts nothing from an archived playbook’s event trigger', async () => {
    const created = playbookSchema.parse((await call('POST', '/playbooks', { document: { ...document('archived-trigger'), nodes: [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'event', event: { type: 'crm.deal_won' } } }, ...document('x').nodes.slice(1)] } })).body);
    await call('POST', `/playbooks/${created.id}/publish`, {});
    await call('POST', `/playbooks/${created.id}/archive`, {});
    expect((await call('POST', '/events', { accountId: accounts[1].id, type: 'crm.deal_won' })).status).toBe(202);
    const runs = await ds.query(`SELECT count(*)::int AS n FROM runs WHERE playbook_id = $1`, [created.id]);
    expect(runs[0].n).toBe(0);
    // Unarchived, the same event starts it.
    await call('POST', `/playbooks/${created.id}/unarchive`);
    await call('POST', '/events', { accountId: accounts[1].id, type: 'crm.deal_won' });
    expect((await ds.query(`SELECT count(*)::int AS n FROM runs WHERE playbook_id = $1`, [created.id]))[0].n).toBe(1);
  });
});
