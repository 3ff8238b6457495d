import {
  apiErrorSchema,
  approvalPageSchema,
  approvalSchema,
  approvalWithEngineSchema,
  type InboxItem,
  inboxPageSchema,
  playbookSchema,
  runSchema,
  snoozeResponseSchema,
  taskPageSchema,
  taskSchema,
  taskWithEngineSchema,
  userSchema,
  workItemCommentPageSchema,
  workItemCommentSchema,
} from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { type Caller, callerFor, signIn, signInAs, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';
import { approveThenTaskPlaybook } from './support/playbooks';

const HOUR = 3_600_000;

/** A list's rows, whether it answers an array or a page (other lists are moving to pages). */
const itemsOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : (body as { items: unknown[] }).items);

/**
 * The approvals-and-tasks inbox against real Postgres, the Temporal dev server and the built
 * worker: views (mine, team, overdue, all), SLA states, snooze, comments, and reassignment that
 * the running workflow must accept (the old assignee is then refused, the new one decides).
 */
describe('the inbox: views, SLA, snooze, comments, reassignment', () => {
  const queue = `cairn-api-inbox-${process.pid}-${Date.now().toString(36)}`;
  let db: SeededDatabase;
  let app: INestApplication;
  let worker: WorkerProcess;
  let base: string;
  let ops: Caller;
  let admin: Caller;
  let casey: Caller;
  let morgan: Caller;
  let viewer: Caller;
  let sam: Caller;
  let samId: string;
  let caseyId: string;
  let playbookId: string;
  const accountIds = new Map<string, string>();

  const issuePaths = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);
  const inbox = async (who: Caller, query: string) => {
    const answer = await who('GET', `/inbox?${query}`);
    expect(answer.status).toBe(200);
    return inboxPageSchema.parse(answer.body);
  };
  const ids = (items: InboxItem[]) => items.map((i) => i.id);

  beforeAll(async () => {
    db = await seededDatabase('inbox');
    const env = { ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: queue, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_LOG_LEVEL: 'WARN' };
    worker = await startWorkerProcess(env);
    app = await createApp(loadConfig(testEnv(env)), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    [ops, admin, casey, morgan, viewer] = await Promise.all([signInAs(base, 'ops'), signInAs(base, 'admin'), signInAs(base, 'csm'), signInAs(base, 'cs_manager'), signInAs(base, 'viewer')]);

    const users = userSchema.array().parse(itemsOf((await admin('GET', '/users')).body));
    caseyId = users.find((u) => u.name === 'Casey Morgan')?.id ?? '';
    const morganId = users.find((u) => u.name === 'Morgan Lee')?.id;
    // A second CSM on Morgan's team, who can sign in.
    const created = await admin('POST', '/users', { email: 'sam.rivera@cairn.local', name: 'Sam Rivera', role: 'csm', managerId: morganId, password: 'sam-password-123' });
    expect(created.status).toBe(201);
    samId = userSchema.parse(created.body).id;
    sam = callerFor(base, (await signIn(base, 'sam.rivera@cairn.local', 'sam-password-123')).accessToken);

    for (const a of itemsOf((await ops('GET', '/accounts')).body) as Array<{ id: string; name: string }>) accountIds.set(a.name, a.id);

    const document = approveThenTaskPlaybook('inbox-e2e', 'Inbox e2e', { approval: 'Plan the kickoff with {{account.name}}?', task: 'Hold the kickoff call' });
    const playbook = await ops('POST', '/playbooks', { document });
    expect(playbook.status).toBe(201);
    playbookId = playbookSchema.parse(playbook.body).id;
    expect((await ops('POST', `/playbooks/${playbookId}/publish`, {})).status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await db?.drop();
  });

  async function enroll(accountName: string) {
    const accountId = accountIds.get(accountName) ?? '';
    const enrolled = await ops('POST', `/playbooks/${playbookId}/enrollments`, { accountId });
    expect(enrolled.status).toBe(201);
    const run = runSchema.parse(enrolled.body);
    const approval = await worker.eventually(`the approval of ${accountName}`, async () => {
      const page = approvalPageSchema.parse((await ops('GET', `/approvals?status=pending&accountId=${accountId}&playbookId=${playbookId}`)).body);
      return page.items.find((a) => a.runId === run.id);
    });
    // The run records that it waits on the approval just after opening it.
    await worker.eventually('the run to wait on it', async () => {
      const live = runSchema.parse((await ops('GET', `/runs/${run.id}`)).body);
      return live.live?.active?.some((a: { approvalId?: string }) => a.approvalId === approval.id) ? true : undefined;
    });
    return { run, approval, accountId };
  }

  it('shows a CSM their own items, a manager their team’s, with SLA states, overdue and paging', async () => {
    const acme = await enroll('Acme Analytics');
    const globex = await enroll('Globex Retail');
    expect(acme.approval).toMatchObject({ assigneeName: 'Casey Morgan', slaState: 'on_time', snoozedUntil: null, playbookId });

    const mine = await inbox(casey, `view=mine&playbookId=${playbookId}`);
    expect(ids(mine.items)).toEqual(expect.arrayContaining([acme.approval.id, globex.approval.id]));
    expect(mine.items.find((i) => i.id === acme.approval.id)).toMatchObject({
      kind: 'approval',
      accountName: 'Acme Analytics',
      playbookName: 'Inbox e2e',
      version: 1,
      title: 'Plan the kickoff with Acme Analytics?',
      assigneeId: caseyId,
      slaState: 'on_time',
      escalationLevel: 0,
      commentCount: 0,
    });
    expect((await inbox(sam, `view=mine&playbookId=${playbookId}`)).items).toEqual([]);
    expect(ids((await inbox(morgan, `view=team&playbookId=${playbookId}`)).items)).toEqual(expect.arrayContaining([acme.approval.id, globex.approval.id]));
    expect((await inbox(morgan, `view=mine&playbookId=${playbookId}`)).items).toEqual([]);
    expect((await inbox(casey, `view=team&playbookId=${playbookId}`)).items).toEqual([]);

    // The SLA states, read from the rows (the run keeps its own clock; this only moves what the inbox shows).
    await db.ds.query(`UPDATE approvals SET due_at = now() - interval '1 hour' WHERE id = $1`, [globex.approval.id]);
    const overdue = await inbox(casey, `view=overdue&playbookId=${playbookId}`);
    expect(ids(overdue.items)).toEqual([globex.approval.id]);
    expect(overdue.items[0].slaState).toBe('overdue');
    expect(ids((await inbox(morgan, `view=overdue&playbookId=${playbookId}`)).items)).toEqual([globex.approval.id]);
    expect((await inbox(sam, `view=overdue&playbookId=${playbookId}`)).items).toEqual([]);
    expect((await inbox(viewer, `view=overdue&playbookId=${playbookId}`)).items).toEqual([]);
    const late = approvalPageSchema.parse((await ops('GET', `/approvals?slaState=overdue&playbookId=${playbookId}`)).body);
    expect(late.items.map((a) => a.id)).toEqual([globex.approval.id]);

    await db.ds.query(`UPDATE approvals SET due_at = now() + interval '1 hour' WHERE id = $1`, [globex.approval.id]);
    expect(approvalSchema.parse((await casey('GET', `/approvals/${globex.approval.id}`)).body).slaState).toBe('due_soon');
    await db.ds.query(`UPDATE approvals SET escalation_level = 1 WHERE id = $1`, [globex.approval.id]);
    expect(approvalSchema.parse((await casey('GET', `/approvals/${globex.approval.id}`)).body).slaState).toBe('escalated');
    expect(approvalPageSchema.parse((await ops('GET', `/approvals?slaState=escalated&playbookId=${playbookId}`)).body).items.map((a) => a.id)).toEqual([globex.approval.id]);
    expect(approvalPageSchema.parse((await ops('GET', `/approvals?slaState=on_time&playbookId=${playbookId}`)).body).items.map((a) => a.id)).toEqual([acme.approval.id]);

    // Due first: Globex (in an hour) before Acme (in three days); one page at a time, no repeats.
    const first = await inbox(ops, `view=all&playbookId=${playbookId}&limit=1`);
    expect(ids(first.items)).toEqual([globex.approval.id]);
    expect(first.nextCursor).not.toBeNull();
    const second = await inbox(ops, `view=all&playbookId=${playbookId}&limit=1&cursor=${first.nextCursor}`);
    expect(ids(second.items)).toEqual([acme.approval.id]);
    expect(second.nextCursor).toBeNull();
    expect(issuePaths((await ops('GET', '/inbox?cursor=forged')).body)).toEqual(['query.cursor']);
    expect(issuePaths((await ops('GET', '/inbox?view=everyone')).body)).toEqual(['query.view']);
    expect(issuePaths((await ops('GET', '/inbox?sort=due')).body)).toEqual(['query.sort']);
  });

  it('snoozes an item out of the views until the snooze ends, without touching the run', async () => {
    const { items } = await inbox(casey, `view=mine&playbookId=${playbookId}&kind=approval`);
    const item = items.find((i) => i.accountName === 'Acme Analytics');
    if (!item) throw new Error('no Acme approval');
    const until = new Date(Date.now() + HOUR).toISOString();

    expect(issuePaths((await casey('POST', `/approvals/${item.id}/snooze`, { until: new Date(Date.now() - HOUR).toISOString() })).body)).toEqual(['body.until']);
    expect(issuePaths((await casey('POST', `/approvals/${item.id}/snooze`, { until: new Date(Date.now() + 31 * 24 * HOUR).toISOString() })).body)).toEqual(['body.until']);
    expect((await viewer('POST', `/approvals/${item.id}/snooze`, { until })).status).toBe(403);
    expect((await sam('POST', `/approvals/${item.id}/snooze`, { until })).status).toBe(403);

    const snoozed = await casey('POST', `/approvals/${item.id}/snooze`, { until, comment: 'Waiting for their new VP to start' });
    expect(snoozed.status).toBe(200);
    expect(snoozeResponseSchema.parse(snoozed.body)).toMatchObject({ itemKind: 'approval', itemId: item.id, snoozedUntil: until, endsAfterDue: false, note: expect.stringContaining('SLA and escalation keep running') });
    expect(ids((await inbox(casey, `view=mine&playbookId=${playbookId}`)).items)).not.toContain(item.id);
    const hidden = (await inbox(casey, `view=mine&playbookId=${playbookId}&includeSnoozed=true`)).items.find((i) => i.id === item.id);
    expect(hidden).toMatchObject({ snoozedUntil: until, commentCount: 1 });

    // A snooze past the due date is allowed, and says the SLA still runs.
    const pastDue = snoozeResponseSchema.parse((await casey('POST', `/approvals/${item.id}/snooze`, { until: new Date(Date.now() + 4 * 24 * HOUR).toISOString() })).body);
    expect(pastDue).toMatchObject({ endsAfterDue: true, note: expect.stringContaining('overdue') });

    // When the snooze ends it is back (here: ended by hand, then a snooze that has run out).
    expect(snoozeResponseSchema.parse((await casey('DELETE', `/approvals/${item.id}/snooze`)).body).snoozedUntil).toBeNull();
    expect(ids((await inbox(casey, `view=mine&playbookId=${playbookId}`)).items)).toContain(item.id);
    await casey('POST', `/approvals/${item.id}/snooze`, { until });
    await db.ds.query(`UPDATE approvals SET snoozed_until = now() - interval '1 second' WHERE id = $1`, [item.id]);
    expect(ids((await inbox(casey, `view=mine&playbookId=${playbookId}`)).items)).toContain(item.id);
    await casey('POST', `/approvals/${item.id}/snooze`, { until: null });
    expect(approvalSchema.parse((await casey('GET', `/approvals/${item.id}`)).body)).toMatchObject({ status: 'pending', snoozedUntil: null });
  });

  it('reassigns an approval through the run: the old assignee is refused, the new one decides and the run goes on', async () => {
    const approval = approvalPageSchema.parse((await ops('GET', `/approvals?status=pending&playbookId=${playbookId}&accountId=${accountIds.get('Acme Analytics')}`)).body).items[0];
    expect(approval.assigneeName).toBe('Casey Morgan');

    expect(issuePaths((await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: samId, reassignedById: caseyId })).body)).toEqual(['body.reassignedById']);
    expect((await viewer('POST', `/approvals/${approval.id}/reassign`, { assigneeId: samId })).status).toBe(403);
    expect(await sam('POST', `/approvals/${approval.id}/reassign`, { assigneeId: samId })).toMatchObject({ status: 403, body: { permission: 'approvals:decide' } });
    const vic = userSchema.array().parse(itemsOf((await admin('GET', '/users')).body)).find((u) => u.role === 'viewer');
    expect(issuePaths((await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: vic?.id })).body)).toEqual(['body.assigneeId']);
    expect(issuePaths((await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: '00000000-0000-4000-8000-000000000000' })).body)).toEqual(['body.assigneeId']);
    expect((await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: caseyId })).status).toBe(409);

    const reassigned = await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: samId, comment: 'Sam covers Acme while I am out' });
    expect(reassigned.status).toBe(200);
    expect(approvalSchema.parse(reassigned.body)).toMatchObject({ assigneeId: samId, assigneeName: 'Sam Rivera', status: 'pending' });
    // The engine's answer: the Update's result, and the run's state right after, waiting on Sam now.
    const reassignedEngine = approvalWithEngineSchema.parse(reassigned.body).engine;
    expect(reassignedEngine).toMatchObject({ update: 'reassignApproval', result: { accepted: true } });
    expect(reassignedEngine.state?.active.find((a) => a.approvalId === approval.id)?.waitingFor).toMatch(/Sam Rivera/);
    expect(ids((await inbox(sam, `view=mine&playbookId=${playbookId}`)).items)).toContain(approval.id);
    expect(ids((await inbox(casey, `view=mine&playbookId=${playbookId}`)).items)).not.toContain(approval.id);
    const [audit] = await db.ds.query(`SELECT summary FROM audit_log WHERE action = 'approval.reassigned' AND entity_id = $1`, [approval.id]);
    expect(audit.summary).toBe('Casey Morgan reassigned "Plan the kickoff with Acme Analytics?" from Casey Morgan to Sam Rivera: Sam covers Acme while I am out');

    // Casey still owns the account, so the API lets her try; the run now answers to Sam only.
    const refused = await casey('POST', `/approvals/${approval.id}/decision`, { decision: 'approved' });
    expect(refused.status).toBe(409);
    expect(apiErrorSchema.parse(refused.body).message).toMatch(/not waiting|Sam Rivera/);
    expect(approvalSchema.parse((await ops('GET', `/approvals/${approval.id}`)).body).status).toBe('pending');
    const decided = await sam('POST', `/approvals/${approval.id}/decision`, { decision: 'approved', note: 'Kickoff on Tuesday' });
    expect(decided.status).toBe(200);
    expect(approvalSchema.parse(decided.body)).toMatchObject({ status: 'approved', decidedByName: 'Sam Rivera', slaState: null });
    // The run moved on before the answer: the approval step is done (approved) and no longer active.
    const decidedEngine = approvalWithEngineSchema.parse(decided.body).engine;
    expect(decidedEngine).toMatchObject({ update: 'decideApproval', result: { accepted: true }, state: { status: 'running' } });
    expect(decidedEngine.state?.active.some((a) => a.approvalId === approval.id)).toBe(false);
    expect(decidedEngine.state?.done).toEqual(expect.arrayContaining([expect.objectContaining({ stepId: 'approve', outcome: 'approved' })]));
    expect(decidedEngine.state?.path).toContain('call');
    expect((await casey('POST', `/approvals/${approval.id}/reassign`, { assigneeId: caseyId })).status).toBe(403);
    expect((await ops('POST', `/approvals/${approval.id}/reassign`, { assigneeId: caseyId })).status).toBe(409);

    // The run went on: the task opened, for the account's CSM, due in a day.
    const task = await worker.eventually('the task to open', async () => taskPageSchema.parse((await ops('GET', `/tasks?status=open&playbookId=${playbookId}&accountId=${approval.accountId}`)).body).items[0]);
    expect(task).toMatchObject({ assigneeName: 'Casey Morgan', slaState: 'due_soon', playbookId, version: 1 });
    const taskItem = (await inbox(casey, `view=mine&playbookId=${playbookId}&kind=task`)).items.find((i) => i.id === task.id);
    expect(taskItem).toMatchObject({ kind: 'task', slaState: 'due_soon', ownerRole: 'csm', completion: 'person' });
    await worker.eventually('the run to wait on the task', async () => {
      const live = runSchema.parse((await ops('GET', `/runs/${task.runId}`)).body);
      return live.live?.active?.some((a: { taskId?: string }) => a.taskId === task.id) ? true : undefined;
    });

    // Morgan (Casey's manager) hands the task to Sam; Casey's completion is then refused by the run.
    const handed = await morgan('POST', `/tasks/${task.id}/reassign`, { assigneeId: samId });
    expect(handed.status).toBe(200);
    expect(taskSchema.parse(handed.body).assigneeName).toBe('Sam Rivera');
    expect(taskWithEngineSchema.parse(handed.body).engine).toMatchObject({ update: 'reassignTask', result: { accepted: true }, state: { active: [expect.objectContaining({ stepId: 'call', taskId: task.id })] } });
    expect((await casey('POST', `/tasks/${task.id}/complete`, {})).status).toBe(409);
    const done = await sam('POST', `/tasks/${task.id}/complete`, { note: 'Call held' });
    expect(done.status).toBe(200);
    expect(taskSchema.parse(done.body)).toMatchObject({ status: 'done', completedByName: 'Sam Rivera', slaState: null });
    // The task was the last step: the run answers, right after, that it is over.
    const doneEngine = taskWithEngineSchema.parse(done.body).engine;
    expect(doneEngine).toMatchObject({ update: 'completeTask', result: { accepted: true } });
    expect(doneEngine.state === null || doneEngine.state.active.every((a) => a.taskId !== task.id)).toBe(true);
    await worker.eventually('the run to complete', async () => {
      const run = runSchema.parse((await ops('GET', `/runs/${task.runId}`)).body);
      return run.status === 'completed' ? run : undefined;
    });
  });

  it('keeps a comment thread per item, with what was said at snoozes, reassignments and decisions', async () => {
    const approval = approvalPageSchema.parse((await ops('GET', `/approvals?playbookId=${playbookId}&accountId=${accountIds.get('Acme Analytics')}`)).body).items[0];
    expect((await viewer('POST', `/approvals/${approval.id}/comments`, { body: 'Nice' })).status).toBe(403);
    expect(issuePaths((await sam('POST', `/approvals/${approval.id}/comments`, { body: '  ' })).body)).toEqual(['body.body']);
    expect(issuePaths((await sam('POST', `/approvals/${approval.id}/comments`, { body: 'Hi', authorId: caseyId })).body)).toEqual(['body.authorId']);
    const added = await sam('POST', `/approvals/${approval.id}/comments`, { body: 'Agenda sent to Dana' });
    expect(added.status).toBe(201);
    expect(workItemCommentSchema.parse(added.body)).toMatchObject({ itemKind: 'approval', itemId: approval.id, kind: 'comment', authorName: 'Sam Rivera' });

    const thread = workItemCommentPageSchema.parse((await viewer('GET', `/approvals/${approval.id}/comments`)).body);
    expect(thread.items.map((c) => [c.kind, c.authorName, c.body])).toEqual([
      ['snooze', 'Casey Morgan', 'Waiting for their new VP to start'],
      ['reassign', 'Casey Morgan', 'Sam covers Acme while I am out'],
      ['decision', 'Sam Rivera', 'Kickoff on Tuesday'],
      ['comment', 'Sam Rivera', 'Agenda sent to Dana'],
    ]);
    const page1 = workItemCommentPageSchema.parse((await viewer('GET', `/approvals/${approval.id}/comments?limit=3`)).body);
    expect(page1.items).toHaveLength(3);
    const page2 = workItemCommentPageSchema.parse((await viewer('GET', `/approvals/${approval.id}/comments?limit=3&cursor=${page1.nextCursor}`)).body);
    expect(page2).toEqual({ items: [thread.items[3]], nextCursor: null });
    expect((await viewer('GET', '/approvals/00000000-0000-4000-8000-000000000000/comments')).status).toBe(404);

    const task = taskPageSchema.parse((await ops('GET', `/tasks?playbookId=${playbookId}&accountId=${approval.accountId}`)).body).items[0];
    const taskThread = workItemCommentPageSchema.parse((await ops('GET', `/tasks/${task.id}/comments`)).body);
    expect(taskThread.items.map((c) => [c.kind, c.body])).toEqual([['completion', 'Call held']]);
  });
});
