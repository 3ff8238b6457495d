import {
  AccountEntity,
  ApprovalEntity,
  PlaybookEntity,
  PlaybookVersionEntity,
  RunActionEntity,
  RunEntity,
  RunMilestoneEntity,
  RunStepEntity,
  SegmentEntity,
  StakeholderEntity,
  TaskEntity,
  UserEntity,
} from '@cairn/db';
import { compilePlaybook, templates } from '@cairn/playbook';
import type { ActionContext, PlaybookActivities } from '@cairn/workflows';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities, type ActivityDeps, type EnrollRequest } from '../src/activities';
import { createEnroll } from '../src/enrollment';
import { createChatNotifier, createInAppMessenger, createWebhookSender } from '../src/http';
import { createSmtpMailer, type Mailer } from '../src/mail/mailer';
import { migratedDataSource } from './database';
import { startHttpReceiver } from './http-receiver';
import { startSmtpListener } from './smtp';

/** The people and data one suite works on: our side (a CSM, their manager and a VP above), an account and its people map. */
async function seed(ds: DataSource) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const users = ds.getRepository(UserEntity);
  const vp = await users.save({ name: 'Val Price', email: `val-${suffix}@cairn.test`, role: 'cs_manager', managerId: null });
  const manager = await users.save({ name: 'Morgan Lee', email: `morgan-${suffix}@cairn.test`, role: 'cs_manager', managerId: vp.id });
  const csm = await users.save({ name: 'Casey Morgan', email: `casey-${suffix}@cairn.test`, role: 'csm', managerId: manager.id });
  const segment = await ds.getRepository(SegmentEntity).save({ key: `mid-${suffix}`, name: 'Mid touch', touchModel: 'mid' });
  const account = await ds.getRepository(AccountEntity).save({
    name: 'Acme "Analytics"',
    domain: `acme-${suffix}.test`,
    segmentId: segment.id,
    csmId: csm.id,
    timezone: 'Europe/Berlin',
    attributes: { plan: 'enterprise', seats: 40, renewal_date: '2026-09-01', kickoff_date: 'soon', sso: false },
    metrics: { weekly_active_users: 31, health_score: 72.5 },
  });
  await ds.getRepository(StakeholderEntity).save([
    { accountId: account.id, name: 'Dana Champion', email: `dana@acme-${suffix}.test`, role: 'champion' },
    { accountId: account.id, name: 'Ada Admin', email: `ada@acme-${suffix}.test`, role: 'admin' },
    { accountId: account.id, name: 'Uli User', email: `uli@acme-${suffix}.test`, role: 'user' },
    { accountId: account.id, name: 'Una User', email: `una@acme-${suffix}.test`, role: 'user' },
  ]);
  // One playbook per run: an account runs a playbook once at a time.
  let playbooks = 0;
  const newRun = async (name: string) => {
    const key = `onb-${suffix}-${++playbooks}`;
    const compiled = compilePlaybook({ ...templates['onboarding-30-60-90'], key });
    if (!compiled.ok) throw new Error('template does not compile');
    const document = templates['onboarding-30-60-90'] as never;
    const playbook = await ds.getRepository(PlaybookEntity).save({ key, name: 'Onboarding 30/60/90', description: '', kind: 'onboarding', draft: document });
    const version = await ds.getRepository(PlaybookVersionEntity).save({ playbookId: playbook.id, version: 1, hash: compiled.plan.hash, document, plan: compiled.plan, publishedBy: null });
    const run = await ds.getRepository(RunEntity).save({
      workflowId: `wf-${name}-${suffix}`,
      temporalRunId: null,
      playbookId: playbook.id,
      playbookVersionId: version.id,
      accountId: account.id,
      status: 'running',
      currentNodeId: null,
      enrolledBy: 'test',
      reason: null,
      endedAt: null,
    });
    return { run, playbook };
  };
  return { suffix, vp, manager, csm, account, newRun };
}

describe('engine activities against real Postgres and SMTP', () => {
  let ds: DataSource;
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let http: Awaited<ReturnType<typeof startHttpReceiver>>;
  let mailer: Mailer;
  let deps: ActivityDeps;
  let activities: PlaybookActivities;
  let world: Awaited<ReturnType<typeof seed>>;
  let run: RunEntity;
  let playbook: PlaybookEntity;

  beforeAll(async () => {
    ds = await migratedDataSource();
    smtp = await startSmtpListener();
    mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Cairn <playbooks@cairn.test>');
    http = await startHttpReceiver({ '/chat-refuses': 400, '/hooks/bad': 400, '/hooks/down': 500 });
    deps = {
      dataSource: ds,
      mailer,
      // The chat webhook is a real local HTTP server; no in-app endpoint is configured.
      chat: createChatNotifier({ webhookUrl: `${http.base}/chat`, timeoutMs: 2_000 }),
      inApp: createInAppMessenger({ webhookUrl: undefined, timeoutMs: 2_000 }),
      webhook: createWebhookSender({ timeoutMs: 2_000 }),
    };
    activities = createActivities(deps);
    world = await seed(ds);
    ({ run, playbook } = await world.newRun('main'));
  });

  afterAll(async () => {
    mailer?.close();
    await http?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
    await ds?.destroy();
  });

  const ctx = (stepId: string, visit = 0, reason = 'because the playbook says so'): ActionContext => ({
    runId: run.id,
    stepId,
    visit,
    accountId: world.account.id,
    playbookVersionId: run.playbookVersionId,
    reason,
  });
  const requestsTo = (path: string) => http.received.filter((r) => r.path === path);
  const actions = (stepId: string) => ds.getRepository(RunActionEntity).find({ where: { runId: run.id, nodeId: stepId }, order: { createdAt: 'ASC' } });

  describe('recordSteps', () => {
    it('writes a batch in one statement with the meaning of writing it in order, and a repeat changes nothing', async () => {
      const batch = {
        runId: run.id,
        records: [
          { kind: 'started' as const, runId: run.id, stepId: 'kickoff', visit: 0, stepType: 'trigger', status: 'started' as const, reason: 'Enrolled', at: '2026-01-01T00:00:00.000Z' },
          { kind: 'completed' as const, runId: run.id, stepId: 'kickoff', visit: 0, outcome: 'next', reason: 'Enrolled by test', at: '2026-01-01T00:00:01.000Z' },
          { kind: 'started' as const, runId: run.id, stepId: 'wait-7d', visit: 0, stepType: 'wait', status: 'waiting' as const, reason: 'Waiting 7 days', at: '2026-01-01T00:00:01.000Z' },
          { kind: 'started' as const, runId: run.id, stepId: 'wait-7d', visit: 0, stepType: 'wait', status: 'waiting' as const, reason: 'Waiting 7 days (the date moved)', at: '2026-01-01T00:00:02.000Z' },
        ],
      };
      await activities.recordSteps(batch);
      await activities.recordSteps(batch); // a local activity retried after a lost response
      const steps = await ds.getRepository(RunStepEntity).find({ where: { runId: run.id }, order: { startedAt: 'ASC', nodeId: 'ASC' } });
      expect(steps.map((s) => [s.nodeId, s.nodeType, s.status, s.outcome, s.startedReason, s.reason])).toEqual([
        // Why it fired is kept beside what came of it.
        ['kickoff', 'trigger', 'completed', 'next', 'Enrolled', 'Enrolled by test'],
        ['wait-7d', 'wait', 'waiting', null, 'Waiting 7 days', 'Waiting 7 days (the date moved)'],
      ]);
      expect(steps[0].startedAt).toEqual(new Date('2026-01-01T00:00:00.000Z'));
      expect(steps[0].completedAt).toEqual(new Date('2026-01-01T00:00:01.000Z'));
      expect(steps[1].startedAt).toEqual(new Date('2026-01-01T00:00:01.000Z'));
      expect((await ds.getRepository(RunEntity).findOneByOrFail({ id: run.id })).currentNodeId).toBe('wait-7d');

      // The wait completes in a later batch with the next step; a completion of a step never started is ignored.
      await activities.recordSteps({
        runId: run.id,
        records: [
          { kind: 'completed', runId: run.id, stepId: 'wait-7d', visit: 0, outcome: 'next', reason: 'Waited 7 days', at: '2026-01-08T00:00:00.000Z' },
          { kind: 'completed', runId: run.id, stepId: 'never-started', visit: 0, outcome: 'next', reason: '?', at: '2026-01-08T00:00:00.000Z' },
          { kind: 'started', runId: run.id, stepId: 'welcome', visit: 0, stepType: 'touch', status: 'started', reason: 'Welcome email', at: '2026-01-08T00:00:00.000Z' },
        ],
      });
      const after = await ds.getRepository(RunStepEntity).findBy({ runId: run.id });
      expect(after.map((s) => `${s.nodeId}:${s.status}`).sort()).toEqual(['kickoff:completed', 'wait-7d:completed', 'welcome:started']);
      expect((await ds.getRepository(RunEntity).findOneByOrFail({ id: run.id })).currentNodeId).toBe('welcome');
    });
  });

  describe('loadAccountFacts', () => {
    it('reads segment, attributes, metrics, people-map roles, dates and timezone', async () => {
      const facts = await activities.loadAccountFacts({ accountId: world.account.id });
      expect(facts).toEqual({
        name: 'Acme "Analytics"',
        segment: `mid-${world.suffix}`,
        attributes: { plan: 'enterprise', seats: 40, renewal_date: '2026-09-01', kickoff_date: 'soon', sso: false },
        metrics: { weekly_active_users: 31, health_score: 72.5 },
        roles: ['admin', 'champion', 'users'],
        // `kickoff_date: "soon"` is no date.
        dates: { renewal_date: '2026-09-01' },
        timezone: 'Europe/Berlin',
      });
    });

    it('fails without retrying when the account is gone', async () => {
      await expect(activities.loadAccountFacts({ accountId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ nonRetryable: true, type: 'AccountNotFound' });
    });
  });

  describe('approvals', () => {
    const open = (stepId: string, assignee: Parameters<PlaybookActivities['openApproval']>[0]['assignee'], visit = 0) =>
      activities.openApproval({
        runId: run.id,
        stepId,
        visit,
        accountId: world.account.id,
        playbookVersionId: run.playbookVersionId,
        title: 'Ping {{account.name}}?',
        assignee,
        dueAt: null,
        proposedTouch: { channel: 'chat', to: 'csm', body: 'Heads up: {{account.name}} is quiet, {{recipient.name}}.' },
      });

    it('assigns by role: cs_manager is the CSM’s manager, executive_sponsor the next level up; a retry returns the same approval', async () => {
      const byManager = await open('approve-manager', { kind: 'role', role: 'cs_manager' });
      expect(byManager).toMatchObject({ assigneeId: world.manager.id, assigneeName: 'Morgan Lee' });
      expect(await open('approve-manager', { kind: 'role', role: 'cs_manager' })).toEqual(byManager);
      expect(await open('approve-exec', { kind: 'role', role: 'executive_sponsor' })).toMatchObject({ assigneeId: world.vp.id, assigneeName: 'Val Price' });
      expect(await open('approve-user', { kind: 'user', userId: world.csm.id })).toMatchObject({ assigneeId: world.csm.id, assigneeName: 'Casey Morgan' });
      await expect(open('approve-nobody', { kind: 'user', userId: 'not-a-user' })).rejects.toMatchObject({ nonRetryable: true, type: 'ApproverMissing' });

      const approval = await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: byManager.approvalId });
      // A chat touch has no subject; the inbox shows it rendered for the account.
      expect(approval.proposed).toEqual({ channel: 'chat', to: `Casey Morgan <${world.csm.email}>`, subject: '', body: 'Heads up: Acme "Analytics" is quiet, Casey Morgan.' });
      expect(approval.title).toBe('Ping Acme "Analytics"?');
    });

    it('notify_manager emails the assignee’s manager once per rung and keeps the assignee', async () => {
      const { approvalId } = await open('approve-escalate', { kind: 'account_csm' });
      const input = { ...ctx('approve-escalate', 0, 'No decision within 2 days: manager notified'), approvalId, action: 'notify_manager' as const, level: 1 };
      const before = smtp.received.length;
      const first = await activities.escalateApproval(input);
      const retry = await activities.escalateApproval(input);
      expect(first).toEqual({ assigneeId: world.csm.id, assigneeName: 'Casey Morgan', summary: 'Reminder sent to Morgan Lee, Casey Morgan’s manager' });
      expect(retry).toEqual(first);
      const mails = smtp.received.slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0].to).toEqual([world.manager.email]);
      expect(mails[0].raw).toContain('Subject: =?UTF-8?Q?Approval_overdue');
      expect(mails[0].raw).toContain('\r\nApproval overdue: Ping Acme "Analytics"? for Acme "Analytics"\r\n');
      expect(mails[0].raw).not.toMatch(/https?:\/\//);

      const approval = await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: approvalId });
      expect(approval).toMatchObject({ status: 'pending', assigneeId: world.csm.id, escalationLevel: 1 });
      const rows = await actions('approve-escalate');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        idempotencyKey: `${run.id}:approve-escalate:0:escalation:1`,
        kind: 'escalation',
        status: 'done',
        approvalId,
        accountId: world.account.id,
        playbookVersionId: run.playbookVersionId,
        reason: 'No decision within 2 days: manager notified',
      });
      expect(rows[0].detail).toMatchObject({ toId: world.manager.id, chat: { status: 'done', detail: 'HTTP 200' } });
      // The chat webhook heard about it once too.
      const posts = requestsTo('/chat').filter((r) => r.headers['idempotency-key'] === `${run.id}:approve-escalate:0:escalation:1`);
      expect(posts).toHaveLength(1);
      expect(JSON.parse(posts[0].body).text).toContain('Approval overdue: Ping Acme "Analytics"? for Acme "Analytics"');
    });

    it('reassign_to_manager hands the approval to the manager and tells them', async () => {
      const { approvalId } = await open('approve-reassign', { kind: 'account_csm' });
      const before = smtp.received.length;
      const input = { ...ctx('approve-reassign', 0, 'No decision within 4 days: reassigned to the manager'), approvalId, action: 'reassign_to_manager' as const, level: 2 };
      const result = await activities.escalateApproval(input);
      await activities.escalateApproval(input);
      expect(result).toEqual({ assigneeId: world.manager.id, assigneeName: 'Morgan Lee', summary: 'Reassigned to Morgan Lee, Casey Morgan’s manager' });
      expect(await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: approvalId })).toMatchObject({ assigneeId: world.manager.id, escalationLevel: 2 });
      const mails = smtp.received.slice(before);
      expect(mails.map((m) => m.to)).toEqual([[world.manager.email]]);
      expect(mails[0].raw).toContain('now yours to decide');
      expect(await actions('approve-reassign')).toHaveLength(1);
    });

    it('resolves a pending approval as the deadline says, with resolution and reason', async () => {
      const approved = await open('approve-auto', { kind: 'account_csm' });
      expect(await activities.resolveApproval({ approvalId: approved.approvalId, resolution: 'auto_approved', reason: 'Approved automatically after 3 days' })).toBe('approved');
      expect(await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: approved.approvalId })).toMatchObject({
        status: 'approved',
        resolution: 'auto_approved',
        note: 'Approved automatically after 3 days',
        decidedById: null,
      });
      const skipped = await open('approve-auto', { kind: 'account_csm' }, 1);
      expect(await activities.resolveApproval({ approvalId: skipped.approvalId, resolution: 'auto_skipped', reason: 'Skipped automatically after 3 days' })).toBe('rejected');
      const expired = await open('approve-auto', { kind: 'account_csm' }, 2);
      expect(await activities.resolveApproval({ approvalId: expired.approvalId, resolution: 'expired', reason: 'No decision within 3 days' })).toBe('expired');
      // A second resolution changes nothing.
      expect(await activities.resolveApproval({ approvalId: expired.approvalId, resolution: 'auto_approved', reason: 'late' })).toBe('expired');
    });

    it('lets a decision being recorded at the same moment win the race', async () => {
      const { approvalId } = await open('approve-race', { kind: 'account_csm' });
      // The API's decision: row locked, decision written, not committed yet (it is delivering the Update).
      const api = ds.createQueryRunner();
      await api.connect();
      await api.startTransaction();
      await api.query(`SELECT id FROM approvals WHERE id = $1 FOR UPDATE`, [approvalId]);
      await api.query(`UPDATE approvals SET status = 'approved', decided_by_id = $2, decided_at = now(), note = 'go' WHERE id = $1`, [approvalId, world.csm.id]);
      const resolving = activities.resolveApproval({ approvalId, resolution: 'expired', reason: 'No decision within 3 days' });
      let settled = false;
      void resolving.then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false); // it waits for the decision's transaction
      await api.commitTransaction();
      await api.release();
      expect(await resolving).toBe('approved');
      expect(await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: approvalId })).toMatchObject({ status: 'approved', resolution: null, note: 'go', decidedById: world.csm.id });
    });
  });

  describe('deliverTouch', () => {
    const deliver = (stepId: string, touch: Parameters<PlaybookActivities['deliverTouch']>[0]['touch'], approvalId: string | null = null) =>
      activities.deliverTouch({ ...ctx(stepId, 0, `"${stepId}" approved by Casey Morgan`), touch, approvalId });

    it('turns a call into a task for the CSM, due in 3 days, once', async () => {
      const { approvalId } = await activities.openApproval({
        runId: run.id,
        stepId: 'approve-call',
        visit: 0,
        accountId: world.account.id,
        playbookVersionId: run.playbookVersionId,
        title: 'Call?',
        assignee: { kind: 'account_csm' },
        dueAt: null,
        proposedTouch: null,
      });
      const touch = { channel: 'call' as const, to: 'champion', subject: 'Kickoff for {{account.name}}', body: 'Agenda: goals, timeline.' };
      const first = await deliver('kickoff-call', touch, approvalId);
      const retry = await deliver('kickoff-call', touch, approvalId);
      expect(retry).toEqual(first);
      expect(first.status).toBe('done');
      expect(first.summary).toMatch(/^Call task for Casey Morgan: Call Dana Champion \(champion\): Kickoff for Acme "Analytics", due /);
      const tasks = await ds.getRepository(TaskEntity).findBy({ runId: run.id, nodeId: 'kickoff-call' });
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ ownerSide: 'ours', ownerRole: 'csm', assigneeId: world.csm.id, completion: 'person', status: 'open', reason: '"kickoff-call" approved by Casey Morgan' });
      const dueInDays = (tasks[0].dueAt.getTime() - Date.now()) / 86_400_000;
      expect(dueInDays).toBeGreaterThan(2.9);
      expect(dueInDays).toBeLessThanOrEqual(3);
      const rows = await actions('kickoff-call');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ idempotencyKey: `${run.id}:kickoff-call:0`, kind: 'call', target: 'champion', status: 'done', approvalId });
      expect(rows[0].detail).toMatchObject({ taskId: tasks[0].id, body: 'Agenda: goals, timeline.', recipient: { name: 'Dana Champion', role: 'champion' } });
    });

    it('posts a chat touch to the chat webhook once, for the internal role resolved to a name', async () => {
      const touch = { channel: 'chat' as const, to: 'cs_manager', subject: 'Usage dropped at {{account.name}}', body: '{{recipient.name}}, weekly actives fell below 10.' };
      const first = await deliver('alert-manager', touch);
      const retry = await deliver('alert-manager', touch);
      expect(retry).toEqual(first);
      expect(first).toMatchObject({ status: 'done', summary: 'Posted to chat for Morgan Lee (CS manager)' });
      const posts = requestsTo('/chat').filter((r) => r.headers['idempotency-key'] === `${run.id}:alert-manager:0`);
      expect(posts).toHaveLength(1);
      expect(posts[0].method).toBe('POST');
      expect(JSON.parse(posts[0].body)).toEqual({ text: '*Usage dropped at Acme "Analytics" (for Morgan Lee (CS manager))*\nMorgan Lee, weekly actives fell below 10.' });
      const rows = await actions('alert-manager');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'chat', target: 'cs_manager', status: 'done', reason: '"alert-manager" approved by Casey Morgan' });
      expect(rows[0].detail).toMatchObject({ statusCode: 200, recipient: { name: 'Morgan Lee', role: 'cs_manager' }, subject: 'Usage dropped at Acme "Analytics"' });
    });

    it('records a chat message the webhook refuses as failed, without failing the run', async () => {
      const refusing = createActivities({ ...deps, chat: createChatNotifier({ webhookUrl: `${http.base}/chat-refuses`, timeoutMs: 2_000 }) });
      const result = await refusing.deliverTouch({ ...ctx('alert-refused'), touch: { channel: 'chat', to: 'csm', body: 'Hello' }, approvalId: null });
      expect(result.status).toBe('failed');
      expect(result.summary).toMatch(/^The chat webhook refused the message for Casey Morgan \(CSM\): .*HTTP 400/);
      expect(await actions('alert-refused')).toEqual([expect.objectContaining({ status: 'failed' })]);
    });

    it('skips an in-app message when no in-app webhook is configured, and says so', async () => {
      const result = await deliver('in-app-tip', { channel: 'in_app', to: 'users', body: 'Try the dashboards, {{recipient.name}}' });
      expect(result).toMatchObject({ status: 'skipped', summary: 'No in-app webhook is configured (CAIRN_IN_APP_WEBHOOK_URL)' });
      expect(await actions('in-app-tip')).toEqual([expect.objectContaining({ kind: 'in_app', status: 'skipped' })]);
    });

    it('skips a touch for a role nobody holds, and says so', async () => {
      const result = await deliver('sponsor-call', { channel: 'call', to: 'sponsor', body: 'Exec alignment' });
      expect(result).toMatchObject({ status: 'skipped', summary: 'Acme "Analytics" has no sponsor in its people map' });
      expect(await ds.getRepository(TaskEntity).findBy({ runId: run.id, nodeId: 'sponsor-call' })).toHaveLength(0);
    });

    it('addresses nobody who left the people map, and a role’s primary before the others', async () => {
      const people = ds.getRepository(StakeholderEntity);
      const sponsor = await people.save({ accountId: world.account.id, name: 'Sid Sponsor', email: `sid@acme-${world.suffix}.test`, role: 'sponsor', status: 'left', leftAt: new Date('2026-01-01T00:00:00Z') });
      const una = await people.findOneByOrFail({ accountId: world.account.id, name: 'Una User' });
      await people.update(una.id, { isPrimary: true });
      try {
        expect((await activities.loadAccountFacts({ accountId: world.account.id })).roles).toEqual(['admin', 'champion', 'users']);
        expect(await deliver('left-sponsor-call', { channel: 'call', to: 'sponsor', body: 'Exec alignment' })).toMatchObject({ status: 'skipped', summary: 'Acme "Analytics" has no sponsor in its people map' });
        // Uli comes first by name; Una is the primary user.
        await deliver('primary-user-call', { channel: 'call', to: 'users', body: 'Onboarding check-in' });
        expect((await actions('primary-user-call'))[0].detail).toMatchObject({ recipient: { name: 'Una User' } });
      } finally {
        await people.delete({ id: sponsor.id });
        await people.update(una.id, { isPrimary: false });
      }
    });
  });

  describe('tasks and milestones', () => {
    it('opens a customer task followed up by the CSM, and our cs_manager task for the manager, once each', async () => {
      const customer = { ...ctx('sso-task'), title: 'Configure SSO for {{account.name}}', owner: { side: 'customer' as const, role: 'admin' }, completion: 'event' as const, dueAt: '2026-01-15T00:00:00.000Z' };
      const first = await activities.openTask(customer);
      expect(await activities.openTask(customer)).toEqual(first);
      expect(first).toMatchObject({ assigneeId: world.csm.id, ownerName: 'the customer’s admin, Ada Admin' });
      expect(await ds.getRepository(TaskEntity).findOneByOrFail({ id: first.taskId })).toMatchObject({
        title: 'Configure SSO for Acme "Analytics"',
        ownerSide: 'customer',
        ownerRole: 'admin',
        completion: 'event',
        status: 'open',
        dueAt: new Date('2026-01-15T00:00:00.000Z'),
        playbookVersionId: run.playbookVersionId,
        accountId: world.account.id,
      });
      const ours = await activities.openTask({ ...ctx('review-task'), title: 'Review the plan', owner: { side: 'ours', role: 'cs_manager' }, completion: 'person', dueAt: '2026-01-20T00:00:00.000Z' });
      expect(ours).toMatchObject({ assigneeId: world.manager.id, ownerName: 'Morgan Lee (CS manager)' });
    });

    it('marks a task overdue only while open, and closes it once', async () => {
      const { taskId } = await activities.openTask({ ...ctx('usage-task'), title: 'Invite the team', owner: { side: 'customer', role: 'champion' }, completion: 'condition', dueAt: '2026-01-10T00:00:00.000Z' });
      await activities.markTaskOverdue({ taskId, at: '2026-01-10T00:00:05.000Z' });
      await activities.markTaskOverdue({ taskId, at: '2026-01-11T00:00:00.000Z' });
      await activities.closeTask({ taskId, status: 'done', reason: 'weekly_active_users ≥ 10 holds', at: '2026-01-12T00:00:00.000Z' });
      await activities.closeTask({ taskId, status: 'cancelled', reason: 'late', at: '2026-01-13T00:00:00.000Z' });
      expect(await ds.getRepository(TaskEntity).findOneByOrFail({ id: taskId })).toMatchObject({
        status: 'done',
        overdueAt: new Date('2026-01-10T00:00:05.000Z'),
        completedAt: new Date('2026-01-12T00:00:00.000Z'),
        note: 'weekly_active_users ≥ 10 holds',
      });
      const { taskId: closed } = await activities.openTask({ ...ctx('usage-task', 1), title: 'Invite the team', owner: { side: 'customer', role: 'champion' }, completion: 'person', dueAt: '2026-02-10T00:00:00.000Z' });
      await activities.closeTask({ taskId: closed, status: 'done', reason: 'done', at: '2026-02-01T00:00:00.000Z' });
      await activities.markTaskOverdue({ taskId: closed, at: '2026-02-11T00:00:00.000Z' });
      expect((await ds.getRepository(TaskEntity).findOneByOrFail({ id: closed })).overdueAt).toBeNull();
    });

    it('records a milestone once per visit; a repeat replaces its outcome', async () => {
      const base = { ...ctx('first-value'), name: 'First value', targetDay: 30 };
      await activities.recordMilestone({ ...base, status: 'missed', day: 30.0007, at: '2026-01-31T00:01:00.000Z', reason: 'Not reached by day 30' });
      await activities.recordMilestone({ ...base, status: 'reached_late', day: 33.5, at: '2026-02-03T12:00:00.000Z', reason: 'Reached on day 33.5' });
      const rows = await ds.getRepository(RunMilestoneEntity).findBy({ runId: run.id, nodeId: 'first-value' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'reached_late', day: 33.5, targetDay: 30, reason: 'Reached on day 33.5', accountId: world.account.id, playbookVersionId: run.playbookVersionId });
    });
  });

  describe('updateAccount', () => {
    it('sets the attribute once and records old and new value', async () => {
      const input = { ...ctx('mark-adopting', 0, 'Set lifecycle_stage to "adopting"'), change: { attribute: 'lifecycle_stage', value: 'adopting' } };
      const first = await activities.updateAccount(input);
      // Someone changes it afterwards; a retry of the step must not overwrite that.
      await ds.query(`UPDATE accounts SET attributes = jsonb_set(attributes, '{lifecycle_stage}', '"expanding"') WHERE id = $1`, [world.account.id]);
      const retry = await activities.updateAccount(input);
      expect(retry).toEqual(first);
      expect(first).toMatchObject({ status: 'done', summary: 'Set lifecycle_stage to "adopting" (was unset)' });
      const rows = await actions('mark-adopting');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'account_update', target: 'lifecycle_stage', status: 'done', reason: 'Set lifecycle_stage to "adopting"' });
      expect(rows[0].detail).toMatchObject({ attribute: 'lifecycle_stage', previous: null, hadValue: false, value: 'adopting' });
      expect((await ds.getRepository(AccountEntity).findOneByOrFail({ id: world.account.id })).attributes.lifecycle_stage).toBe('expanding');

      const seats = await activities.updateAccount({ ...ctx('set-seats'), change: { attribute: 'seats', value: 55 } });
      expect(seats.summary).toBe('Set seats to 55 (was 40)');
      const account = await ds.getRepository(AccountEntity).findOneByOrFail({ id: world.account.id });
      expect(account.attributes).toMatchObject({ seats: 55, plan: 'enterprise', renewal_date: '2026-09-01' });
      expect((await actions('set-seats'))[0].detail).toMatchObject({ previous: 40, value: 55 });
    });
  });

  describe('callWebhook', () => {
    const hook = (stepId: string, path: string, maxAttempts = 3) => ({
      ...ctx(stepId, 0, `"${stepId}" of Onboarding 30/60/90: POST ${http.base}${path}`),
      url: `${http.base}${path}`,
      method: 'POST' as const,
      headers: { Authorization: 'Bearer test-token' },
      body: '{"event": "kickoff_done", "account": "{{account.name}}", "plan": "{{account.plan}}", "run": "{{run.id}}"}',
      playbookKey: playbook.key,
      maxAttempts,
    });
    // Failed attempts are expected here: keep the SDK's warnings about them out of the output.
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n }, { logger: new DefaultLogger('ERROR') });

    it('posts the rendered body with the cairn fields once, and records the answer', async () => {
      const input = hook('notify-crm', '/hooks/crm');
      const first = await attempt(1).run(activities.callWebhook, input);
      const retry = await attempt(2).run(activities.callWebhook, input);
      expect(retry).toEqual(first);
      expect(first).toMatchObject({ status: 'done', summary: `POST ${http.base}/hooks/crm: HTTP 200` });
      const calls = requestsTo('/hooks/crm');
      expect(calls).toHaveLength(1);
      expect(calls[0].headers).toMatchObject({ authorization: 'Bearer test-token', 'idempotency-key': `${run.id}:notify-crm:0`, 'content-type': 'application/json' });
      expect(JSON.parse(calls[0].body)).toEqual({
        event: 'kickoff_done',
        account: 'Acme "Analytics"',
        plan: 'enterprise',
        run: run.id,
        cairn: { runId: run.id, stepId: 'notify-crm', accountId: world.account.id, playbookKey: playbook.key, version: 1, idempotencyKey: `${run.id}:notify-crm:0` },
      });
      const rows = await actions('notify-crm');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ kind: 'webhook', target: `${http.base}/hooks/crm`, status: 'done', detail: expect.objectContaining({ statusCode: 200, attempts: 1 }) });
    });

    it('fails without retrying when the receiver answers 400, and records why', async () => {
      await expect(attempt(1).run(activities.callWebhook, hook('notify-bad', '/hooks/bad'))).rejects.toMatchObject({ nonRetryable: true, type: 'WebhookRejected' });
      const [row] = await actions('notify-bad');
      expect(row).toMatchObject({ status: 'failed', detail: expect.objectContaining({ statusCode: 400, attempts: 1 }) });
      expect(String(row.detail.error)).toContain('HTTP 400');
      // Called again, it does not call out again.
      await expect(attempt(2).run(activities.callWebhook, hook('notify-bad', '/hooks/bad'))).rejects.toMatchObject({ nonRetryable: true, type: 'WebhookRejected' });
      expect(requestsTo('/hooks/bad')).toHaveLength(1);
    });

    it('lets Temporal retry a 500, and records the failure on the last attempt', async () => {
      const input = hook('notify-down', '/hooks/down', 2);
      const firstError = await attempt(1).run(activities.callWebhook, input).catch((e: unknown) => e);
      expect(firstError).toMatchObject({ name: 'HttpDeliveryError', retryable: true, status: 500 });
      expect((await actions('notify-down'))[0]).toMatchObject({ status: 'pending', detail: expect.objectContaining({ attempts: 1, statusCode: 500 }) });
      const lastError = await attempt(2).run(activities.callWebhook, input).catch((e: unknown) => e);
      expect(lastError).toMatchObject({ name: 'HttpDeliveryError', retryable: true });
      const [row] = await actions('notify-down');
      expect(row).toMatchObject({ status: 'failed', detail: expect.objectContaining({ attempts: 2, statusCode: 500 }) });
      expect(row.completedAt).not.toBeNull();
      expect(requestsTo('/hooks/down')).toHaveLength(2);
    });

    it('refuses a body that does not render to JSON', async () => {
      const input = { ...hook('notify-broken', '/hooks/crm'), body: '{"account": {{account.name}}}' };
      await expect(attempt(1).run(activities.callWebhook, input)).rejects.toMatchObject({ nonRetryable: true, type: 'WebhookRejected' });
      expect((await actions('notify-broken'))[0].status).toBe('failed');
    });
  });

  describe('enrollAccount', () => {
    it('delegates to the enrollment service once and returns the stored answer on a retry', async () => {
      const calls: EnrollRequest[] = [];
      const enrolling = createActivities({
        ...deps,
        enroll: async (request) => {
          calls.push(request);
          return { status: 'enrolled', runId: run.id, workflowId: 'wf-other', version: 3 };
        },
      });
      const input = { ...ctx('enroll-renewal', 0, '"Enroll in renewal" of Onboarding 30/60/90'), playbookKey: playbook.key };
      const first = await enrolling.enrollAccount(input);
      const retry = await enrolling.enrollAccount(input);
      expect(first).toEqual({ status: 'enrolled', runId: run.id, summary: 'Enrolled in Onboarding 30/60/90 v3' });
      expect(retry).toEqual(first);
      expect(calls).toEqual([{ accountId: world.account.id, playbookKey: playbook.key, enrolledBy: `run:${run.id}`, reason: '"Enroll in renewal" of Onboarding 30/60/90' }]);
      expect(await actions('enroll-renewal')).toEqual([expect.objectContaining({ kind: 'enroll', target: playbook.key, status: 'done' })]);
    });

    it('records a skipped enrollment with its reason', async () => {
      const enrolling = createActivities({ ...deps, enroll: async () => ({ status: 'skipped', code: 'already_running', reason: 'Already running', runId: run.id }) });
      const result = await enrolling.enrollAccount({ ...ctx('enroll-again'), playbookKey: playbook.key });
      expect(result).toEqual({ status: 'skipped', runId: run.id, summary: 'Not enrolled in Onboarding 30/60/90: Already running' });
      expect(await actions('enroll-again')).toEqual([expect.objectContaining({ status: 'skipped' })]);
    });

    it('goes through @cairn/enrollment: its refusals are recorded, an unknown playbook fails without retrying', async () => {
      // Every answer here is decided from the database, before enrollment would start a workflow:
      // the Temporal connection is never used.
      const connection = Connection.lazy({ address: '127.0.0.1:9' });
      try {
        const enrolling = createActivities({ ...deps, enroll: createEnroll({ dataSource: ds, temporal: new Client({ connection }), taskQueue: 'unused' }) });
        const running = await enrolling.enrollAccount({ ...ctx('enroll-self'), playbookKey: playbook.key });
        expect(running).toMatchObject({ status: 'skipped', runId: run.id });
        expect(running.summary).toMatch(/^Not enrolled in Onboarding 30\/60\/90: /);

        await ds.getRepository(PlaybookEntity).save({ key: `draft-${world.suffix}`, name: 'Draft only', description: '', kind: 'renewal', draft: templates['renewal-120'] as never });
        const unpublished = await enrolling.enrollAccount({ ...ctx('enroll-draft'), playbookKey: `draft-${world.suffix}` });
        expect(unpublished.status).toBe('skipped');
        expect(unpublished.summary).toContain('has no published version yet');

        await expect(enrolling.enrollAccount({ ...ctx('enroll-unknown'), playbookKey: `nope-${world.suffix}` })).rejects.toMatchObject({ nonRetryable: true, type: 'EnrollmentNotFound' });
        expect(await actions('enroll-unknown')).toEqual([expect.objectContaining({ status: 'failed' })]);
      } finally {
        await connection.close();
      }
    });

    it('fails without retrying when the worker has no enrollment service', async () => {
      await expect(activities.enrollAccount({ ...ctx('enroll-unavailable'), playbookKey: playbook.key })).rejects.toMatchObject({ nonRetryable: true, type: 'EnrollmentUnavailable' });
      expect(await actions('enroll-unavailable')).toEqual([expect.objectContaining({ status: 'failed' })]);
    });
  });

  describe('finishRun', () => {
    it('sets the outcome and closes the pending approvals and open tasks the run left, in one go', async () => {
      const { run: other } = await world.newRun('finish');
      const ref = (stepId: string) => ({ runId: other.id, stepId, visit: 0, accountId: world.account.id, playbookVersionId: other.playbookVersionId, reason: 'test' });
      const pending = await activities.openApproval({ ...ref('approve'), title: 'Ok?', assignee: { kind: 'account_csm' }, dueAt: null, proposedTouch: null });
      const decided = await activities.openApproval({ ...ref('approve-decided'), title: 'Ok?', assignee: { kind: 'account_csm' }, dueAt: null, proposedTouch: null });
      await ds.getRepository(ApprovalEntity).update({ id: decided.approvalId }, { status: 'approved' });
      const open = await activities.openTask({ ...ref('task'), title: 'Do it', owner: { side: 'customer', role: 'admin' }, completion: 'person', dueAt: '2026-03-01T00:00:00.000Z' });
      const done = await activities.openTask({ ...ref('task-done'), title: 'Done', owner: { side: 'customer', role: 'admin' }, completion: 'person', dueAt: '2026-03-01T00:00:00.000Z' });
      await activities.closeTask({ taskId: done.taskId, status: 'done', reason: 'done', at: '2026-02-01T00:00:00.000Z' });
      // A call the run handed to the CSM: not something the run waits for, so it stays on their list.
      await activities.deliverTouch({ ...ref('call'), touch: { channel: 'call', to: 'champion', body: 'Check in' }, approvalId: null });

      const reason = 'Exit criterion "Churned" met';
      await activities.finishRun({ runId: other.id, outcome: 'exited', reason, at: '2026-02-02T00:00:00.000Z' });
      await activities.finishRun({ runId: other.id, outcome: 'completed', reason: 'late duplicate', at: '2026-02-03T00:00:00.000Z' });

      expect(await ds.getRepository(RunEntity).findOneByOrFail({ id: other.id })).toMatchObject({ status: 'exited', endedAt: new Date('2026-02-02T00:00:00.000Z') });
      expect(await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: pending.approvalId })).toMatchObject({ status: 'cancelled', resolution: 'cancelled', note: reason });
      expect((await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: decided.approvalId })).status).toBe('approved');
      expect(await ds.getRepository(TaskEntity).findOneByOrFail({ id: open.taskId })).toMatchObject({ status: 'cancelled', note: reason });
      expect((await ds.getRepository(TaskEntity).findOneByOrFail({ id: done.taskId })).status).toBe('done');
      expect((await ds.getRepository(TaskEntity).findOneByOrFail({ runId: other.id, nodeId: 'call' })).status).toBe('open');
    });
  });
});
