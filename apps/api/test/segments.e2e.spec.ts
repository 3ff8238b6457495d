import { accountEventPageSchema, accountSchema, auditPageSchema, accountSegmentsSchema, segmentMembershipPageSchema, apiErrorSchema, playbookSchema, runSummarySchema, segmentMemberPageSchema, segmentPreviewSchema, segmentSchema, pageSchema } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { SegmentMembership } from '../src/segments/segment-membership';
import { SegmentSweep } from '../src/segments/segment-sweep';
import { type Caller, signInAs, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

/**
 * Segments against real Postgres (a database of its own) and the real Temporal dev server: rules,
 * preview, live membership as accounts change, priorities, archive, manual assignment, the
 * segment.entered / segment.exited events, and a playbook that starts when an account enters.
 * Workflows land on a queue no worker polls: their history shows what they were started with.
 */
describe('segments API', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const idleQueue = `cairn-api-segments-${stamp}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  const accounts = new Map<string, z.infer<typeof accountSchema>>();

  /** Signed in as Olivia Park (ops: designs segments, edits any account). */
  let call: Caller;
  const account = (name: string) => {
    const found = accounts.get(name);
    if (!found) throw new Error(`no seeded account ${name}`);
    return found;
  };
  const issues = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);
  const arrAtLeast = (value: number) => ({ field: 'account.arr', op: 'gte', value });
  const namesOf = (rule: (a: z.infer<typeof accountSchema>) => boolean) => [...accounts.values()].filter(rule).map((a) => a.name).sort();

  async function createSegment(body: Record<string, unknown>) {
    const created = await call('POST', '/segments', body);
    expect(created.status).toBe(201);
    return segmentSchema.parse(created.body);
  }
  async function members(segmentId: string) {
    return segmentMemberPageSchema.parse((await call('GET', `/segments/${segmentId}/members`)).body).items.map((m) => m.name).sort();
  }
  async function segmentEvents(accountId: string) {
    const page = accountEventPageSchema.parse((await call('GET', `/accounts/${accountId}/events?limit=200`)).body);
    return page.items.filter((e) => e.type.startsWith('segment.')).map((e) => ({ type: e.type, segment: e.data.segment, reason: e.data.reason, source: e.source }));
  }

  beforeAll(async () => {
    db = await seededDatabase('segments');
    ds = db.ds;
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: idleQueue, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    call = await signInAs(base, 'ops');
    for (const a of pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items) accounts.set(a.name, a);
  });

  afterAll(async () => {
    await app?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('lists the seeded segments by priority, with their coverage model and kind', async () => {
    const listed = pageSchema(segmentSchema).parse((await call('GET', '/segments')).body).items;
    expect(listed.map((s) => [s.key, s.kind, s.touchModel, s.priority])).toEqual([
      ['high-touch', 'manual', 'high', 100],
      ['tech-touch', 'manual', 'tech', 100],
      ['renewing-soon', 'rule', 'high', 200],
    ]);
    expect(listed.find((s) => s.key === 'high-touch')?.memberCount).toBe(namesOf((a) => a.segment.key === 'high-touch').length);
  });

  it('previews who a rule matches, why, and who is one comparison short, without saving anything', async () => {
    const rule = { all: [arrAtLeast(150_000), { field: 'account.plan', op: 'eq', value: 'enterprise' }] };
    const preview = segmentPreviewSchema.parse((await call('POST', '/segments/preview', { rule })).body);
    const expected = namesOf((a) => Number(a.attributes.arr) >= 150_000 && a.attributes.plan === 'enterprise');
    expect(expected.length).toBeGreaterThan(0);
    expect(preview).toMatchObject({ total: accounts.size, matching: expected.length });
    expect(preview.accounts.map((a) => a.name).sort()).toEqual(expected);
    expect(preview.accounts[0].checks).toEqual([
      { condition: expect.stringMatching(/^account\.arr \d+ ≥ 150000$/), holds: true },
      { condition: 'account.plan "enterprise" = "enterprise"', holds: true },
    ]);
    // Globex is enterprise at 142,500: one comparison short.
    expect(preview.nearMisses.map((a) => a.name)).toContain('Globex Retail');
    expect(pageSchema(segmentSchema).parse((await call('GET', '/segments')).body).items).toHaveLength(3);
  });

  it('computes a new rule segment’s members at once and announces each entry with its reason', async () => {
    const big = await createSegment({ key: 'big-accounts', name: 'ARR 150k+', touchModel: 'high', priority: 300, rule: arrAtLeast(150_000) });
    const expected = namesOf((a) => Number(a.attributes.arr) >= 150_000);
    expect(big).toMatchObject({ kind: 'rule', memberCount: expected.length });
    expect(await members(big.id)).toEqual(expected);
    const acme = account('Acme Analytics');
    expect(await segmentEvents(acme.id)).toEqual([{ type: 'segment.entered', segment: 'big-accounts', reason: 'Rule holds: account.arr 186000 ≥ 150000', source: 'cairn' }]);
    // Priority 300 is above the manual segments' 100: the account keeps its own segment.
    expect(accountSchema.parse((await call('GET', `/accounts/${acme.id}`)).body).segment.key).toBe(acme.segment.key);
  });

  it('moves an account out when its data changes, and says which comparison stopped holding', async () => {
    const acme = account('Acme Analytics');
    const changed = await call('PATCH', `/accounts/${acme.id}`, { attributes: { arr: 90_000 } });
    expect(changed.status).toBe(200);
    const history = segmentMembershipPageSchema.parse((await call('GET', `/accounts/${acme.id}/segments`)).body).items;
    const big = history.find((m) => m.key === 'big-accounts');
    expect(big).toMatchObject({ exitedAt: expect.any(String), exitedReason: 'Rule no longer holds (not true now: account.arr 90000 ≥ 150000)' });
    expect((await segmentEvents(acme.id))[0]).toEqual({ type: 'segment.exited', segment: 'big-accounts', reason: 'Rule no longer holds (not true now: account.arr 90000 ≥ 150000)', source: 'cairn' });
    // Back up: a new membership, the old one stays in the history.
    await call('PATCH', `/accounts/${acme.id}`, { attributes: { arr: 186_000 } });
    const again = segmentMembershipPageSchema.parse((await call('GET', `/accounts/${acme.id}/segments`)).body).items;
    expect(again.filter((m) => m.key === 'big-accounts').map((m) => m.exitedAt === null)).toEqual([true, false]);
    const current = segmentMembershipPageSchema.parse((await call('GET', `/accounts/${acme.id}/segments?current=true`)).body).items;
    expect(current.every((m) => m.exitedAt === null) && current.some((m) => m.key === 'big-accounts')).toBe(true);
  });

  it('gives an account the segment with the lowest priority it is in, and takes it back on archive', async () => {
    const initech = account('Initech');
    const rescue = await createSegment({ key: 'rescue', name: 'Rescue', touchModel: 'high', priority: 10, rule: { field: 'metric.weekly_active_users', op: 'lt', value: 10 } });
    expect(rescue.memberCount).toBe(namesOf((a) => (a.metrics.weekly_active_users ?? Infinity) < 10).length);
    const moved = accountSchema.parse((await call('GET', `/accounts/${initech.id}`)).body);
    expect(moved.segment.key).toBe('rescue');
    expect(moved.assignedSegment?.key).toBe(initech.segment.key);

    const archived = await call('POST', `/segments/${rescue.id}/archive`);
    expect(archived.status).toBe(200);
    expect(segmentSchema.parse(archived.body)).toMatchObject({ archivedAt: expect.any(String), memberCount: 0 });
    expect(accountSchema.parse((await call('GET', `/accounts/${initech.id}`)).body).segment.key).toBe(initech.segment.key);
    const back = segmentMembershipPageSchema.parse((await call('GET', `/accounts/${initech.id}/segments?current=false`)).body).items;
    expect(back.find((m) => m.key === 'rescue')).toMatchObject({ exitedReason: 'The segment was archived' });
    expect(pageSchema(segmentSchema).parse((await call('GET', '/segments')).body).items.map((s) => s.key)).not.toContain('rescue');
    expect(pageSchema(segmentSchema).parse((await call('GET', '/segments?includeArchived=true')).body).items.map((s) => s.key)).toContain('rescue');
  });

  it('assigns an account to a manual segment; a rule segment cannot be assigned', async () => {
    const stark = account('Stark Logistics');
    const other = stark.segment.key === 'tech-touch' ? 'high-touch' : 'tech-touch';
    const assigned = await call('PUT', `/accounts/${stark.id}/segment`, { segmentKey: other });
    expect(assigned.status).toBe(200);
    expect(accountSegmentsSchema.parse(assigned.body)).toMatchObject({ segment: { key: other }, assignedSegment: { key: other } });
    expect((await segmentEvents(stark.id)).slice(0, 2).map((e) => [e.type, e.segment]).sort()).toEqual([
      ['segment.entered', other],
      ['segment.exited', stark.segment.key],
    ]);
    const refused = await call('PUT', `/accounts/${stark.id}/segment`, { segmentKey: 'big-accounts' });
    expect(refused.status).toBe(400);
    expect(issues(refused.body)).toEqual(['body.segmentKey']);
  });

  it('starts a playbook triggered by entering a segment, with the entry event', async () => {
    const vip = await createSegment({ key: 'vip', name: 'VIP', touchModel: 'high', priority: 400, rule: { field: 'account.vip', op: 'eq', value: true } });
    expect(vip.memberCount).toBe(0);
    const document = {
      schemaVersion: 2,
      key: 'vip-welcome',
      name: 'VIP welcome',
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'segment_entered', segment: 'vip' } },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    };
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document })).body);
    expect((await call('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);

    const umbrella = account('Umbrella Health');
    // Attributes are checked against the field schema: `vip` is a field of the workspace's own.
    expect((await call('POST', '/account-fields', { key: 'vip', label: 'VIP', type: 'boolean' })).status).toBe(201);
    expect((await call('PATCH', `/accounts/${umbrella.id}`, { attributes: { vip: true } })).status).toBe(200);
    const runs = pageSchema(runSummarySchema).parse((await call('GET', `/runs?accountId=${umbrella.id}&playbookId=${playbook.id}`)).body).items;
    expect(runs).toHaveLength(1);
    const history = await client.workflow.getHandle(runs[0].workflowId).fetchHistory();
    const signals = (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [defaultPayloadConverter.fromPayload(e.workflowExecutionSignaledEventAttributes.input?.payloads?.[0] ?? {})] : []));
    // Started by signal-with-start with the entry event; the account change went to the runs running before it.
    expect(signals).toEqual([expect.objectContaining({ type: 'segment.entered', data: expect.objectContaining({ segment: 'vip' }) })]);
  });

  it('lets the calendar move accounts in date rules, and sends an announcement left pending exactly once', async () => {
    const DAY = 86_400_000;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const globex = account('Globex Retail');
    expect((await call('POST', '/account-fields', { key: 'trial_end_date', label: 'Trial ends', type: 'date' })).status).toBe(201);
    expect((await call('PATCH', `/accounts/${globex.id}`, { attributes: { trial_end_date: day(Date.now() + 40 * DAY) } })).status).toBe(200);
    const window = await createSegment({ key: 'trial-ending', name: 'Trial ends within 30 days', touchModel: 'low', priority: 500, rule: { field: 'account.trial_end_date', op: 'within_next', value: 30 } });
    expect(window.memberCount).toBe(0);
    // Fifteen days on, the trial ends in 25 days: the account enters without any change to its data.
    await app.get(SegmentMembership).refresh(null, Date.now() + 15 * DAY);
    expect(await members(window.id)).toEqual(['Globex Retail']);
    expect((await segmentEvents(globex.id)).filter((e) => e.segment === 'trial-ending')).toEqual([
      { type: 'segment.entered', segment: 'trial-ending', reason: expect.stringMatching(/^Rule holds: account\.trial_end_date "\d{4}-\d{2}-\d{2}" within the next 30 days$/), source: 'cairn' },
    ]);
    // An announcement whose event went out but was not marked (a crash in between) goes again, and is stored once.
    // The sweep runs on today's clock, so the account (40 days from its trial's end) leaves again.
    await ds.query(`UPDATE segment_memberships SET entered_notified = false WHERE segment_id = $1`, [window.id]);
    expect(await app.get(SegmentSweep).sweepOnce()).toBe(true);
    expect((await segmentEvents(globex.id)).filter((e) => e.segment === 'trial-ending').map((e) => e.type).sort()).toEqual(['segment.entered', 'segment.exited']);
    expect(await members(window.id)).toEqual([]);
    expect((await ds.query(`SELECT count(*)::int AS n FROM segment_memberships WHERE NOT entered_notified OR (exited_at IS NOT NULL AND NOT exited_notified)`))[0].n).toBe(0);
  });

  it.each<[string, string, unknown, number, string[]]>([
    ['a rule reading a run’s steps', 'POST', { key: 'bad-rule', name: 'Bad', touchModel: 'low', rule: { field: 'step.approve.outcome', op: 'eq', value: 'approved' } }, 400, ['body.rule.field']],
    ['a nested bad comparison', 'POST', { key: 'bad-rule', name: 'Bad', touchModel: 'low', rule: { all: [arrAtLeast(1), { field: 'account.arr', op: 'gt', value: 'lots' }] } }, 400, ['body.rule.all[1].value']],
    ['an unknown field (mass assignment)', 'POST', { key: 'sneaky', name: 'Sneaky', touchModel: 'low', memberCount: 99 }, 400, ['body.memberCount']],
    ['a key with capitals', 'POST', { key: 'Big', name: 'Big', touchModel: 'low' }, 400, ['body.key']],
    ['a touch model we do not have', 'POST', { key: 'odd', name: 'Odd', touchModel: 'white-glove' }, 400, ['body.touchModel']],
    ['a date comparison without a number of days', 'POST', { key: 'soon', name: 'Soon', touchModel: 'low', rule: { field: 'account.renewal_date', op: 'within_next', value: '90 days' } }, 400, ['body.rule.value']],
  ])('refuses %s with the field path', async (_, method, body, status, paths) => {
    const answer = await call(method, '/segments', body);
    expect(answer.status).toBe(status);
    expect(issues(answer.body)).toEqual(paths);
  });

  it('lets a playbook’s audience be any segment an account is in, not only its own', async () => {
    // big-accounts (priority 300) never becomes an account's own segment; its members are still its audience.
    const document = {
      schemaVersion: 2,
      key: 'big-account-review',
      name: 'Big account review',
      audience: { segments: ['big-accounts'] },
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    };
    const playbook = playbookSchema.parse((await call('POST', '/playbooks', { document })).body);
    expect((await call('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
    const umbrella = account('Umbrella Health');
    expect(Number(umbrella.attributes.arr)).toBeGreaterThanOrEqual(150_000);
    expect((await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: umbrella.id })).status).toBe(201);
    const small = await call('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: account('Stark Logistics').id });
    expect(small.status).toBe(409);
    expect(apiErrorSchema.parse(small.body).message).toMatch(/^Audience: the playbook is for segment "big-accounts"; the account is in /);
  });

  it('refuses a duplicate key, a rule segment turned manual, and archiving a segment accounts are assigned to', async () => {
    expect((await call('POST', '/segments', { key: 'big-accounts', name: 'Again', touchModel: 'low' })).status).toBe(409);
    const big = pageSchema(segmentSchema).parse((await call('GET', '/segments')).body).items.find((s) => s.key === 'big-accounts');
    expect((await call('PATCH', `/segments/${big?.id}`, { rule: null })).status).toBe(409);
    expect((await call('PATCH', `/segments/${big?.id}`, {})).status).toBe(400);
    expect(issues((await call('PATCH', `/segments/${big?.id}`, { key: 'renamed' })).body)).toContain('body.key');
    const high = pageSchema(segmentSchema).parse((await call('GET', '/segments')).body).items.find((s) => s.key === 'high-touch');
    const refused = await call('POST', `/segments/${high?.id}/archive`);
    expect(refused.status).toBe(409);
    expect(apiErrorSchema.parse(refused.body).message).toMatch(/assigned to "high-touch"/);
    expect((await call('GET', '/segments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('lets ops and admins design segments, a CSM assign only accounts they own, and audits each change', async () => {
    const viewer = await signInAs(base, 'viewer');
    const casey = await signInAs(base, 'csm');
    expect((await viewer('GET', '/segments')).status).toBe(200);
    expect((await viewer('POST', '/segments/preview', { rule: arrAtLeast(1) })).status).toBe(200);
    expect((await casey('POST', '/segments', { key: 'casey-own', name: 'Mine', touchModel: 'low' })).body).toMatchObject({ statusCode: 403, permission: 'segments:write' });
    expect((await viewer('PUT', `/accounts/${account('Initech').id}/segment`, { segmentKey: 'high-touch' })).body).toMatchObject({ statusCode: 403, permission: 'accounts:write' });

    // Casey owns Initech; not once it belongs to someone else.
    const initech = account('Initech');
    expect((await casey('PUT', `/accounts/${initech.id}/segment`, { segmentKey: 'high-touch' })).status).toBe(200);
    const [other] = await ds.query(`INSERT INTO users (name, email, role) VALUES ('Other CSM', $1, 'csm') RETURNING id`, [`other-${stamp}@cairn.test`]);
    await ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [other.id, initech.id]);
    expect((await casey('PUT', `/accounts/${initech.id}/segment`, { segmentKey: 'tech-touch' })).body).toMatchObject({ statusCode: 403, permission: 'accounts:write' });
    expect((await call('PUT', `/accounts/${initech.id}/segment`, { segmentKey: 'tech-touch' })).status).toBe(200);

    const audit = auditPageSchema.parse((await call('GET', `/audit?entityType=account&entityId=${initech.id}&action=account.segment_assigned`)).body).items;
    expect(audit.map((e) => e.actor.name)).toEqual(['Olivia Park', 'Casey Morgan']);
    const pilot = await createSegment({ key: 'pilot', name: 'Pilot', touchModel: 'mid' });
    expect((await call('PATCH', `/segments/${pilot.id}`, { name: 'Pilot customers', priority: 150 })).status).toBe(200);
    expect((await call('POST', `/segments/${pilot.id}/archive`)).status).toBe(200);
    const designed = auditPageSchema.parse((await call('GET', `/audit?entityType=segment&entityId=${pilot.id}`)).body).items;
    expect(designed.map((e) => [e.action, e.actor.name])).toEqual([
      ['segment.archived', 'Olivia Park'],
      ['segment.updated', 'Olivia Park'],
      ['segment.created', 'Olivia Park'],
    ]);
    expect(designed[1].changes).toMatchObject({ before: { name: 'Pilot', priority: 100 }, after: { name: 'Pilot customers', priority: 150 } });
  });
});
