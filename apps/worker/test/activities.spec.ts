import {
  AccountEntity,
  ApprovalEntity,
  PlaybookEntity,
  PlaybookVersionEntity,
  RunEntity,
  RunStepEntity,
  SegmentEntity,
  SentEmailEntity,
  StakeholderEntity,
  UserEntity,
} from '@cairn/db';
import { compilePlaybook, templates } from '@cairn/playbook';
import type { PlaybookActivities } from '@cairn/workflows';
import type { DataSource } from 'typeorm';
import { createActivities } from '../src/activities';
import { createSmtpMailer, type Mailer } from '../src/mail/mailer';
import { migratedDataSource } from './database';
import { startSmtpListener } from './smtp';

describe('worker activities against real Postgres and SMTP', () => {
  let ds: DataSource;
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let mailer: Mailer;
  let activities: PlaybookActivities;
  let run: RunEntity;
  let csm: UserEntity;
  let account: AccountEntity;

  beforeAll(async () => {
    ds = await migratedDataSource();
    smtp = await startSmtpListener();
    mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Cairn <playbooks@cairn.test>');
    activities = createActivities({ dataSource: ds, mailer });

    const suffix = Math.random().toString(36).slice(2, 8);
    csm = await ds.getRepository(UserEntity).save({ name: 'Casey Morgan', email: `casey-${suffix}@cairn.test`, role: 'csm', managerId: null });
    const segment = await ds.getRepository(SegmentEntity).save({ key: `high-${suffix}`, name: 'High touch', touchModel: 'high' });
    account = await ds.getRepository(AccountEntity).save({ name: 'Acme Analytics', domain: `acme-${suffix}.test`, segmentId: segment.id, csmId: csm.id });
    await ds.getRepository(StakeholderEntity).save({ accountId: account.id, name: 'Dana Champion', email: `dana@acme-${suffix}.test`, role: 'champion' });
    const compiled = compilePlaybook({ ...templates['onboarding-kickoff'], key: `kickoff-${suffix}` });
    if (!compiled.ok) throw new Error('template does not compile');
    const document = templates['onboarding-kickoff'] as never;
    const playbook = await ds.getRepository(PlaybookEntity).save({ key: `kickoff-${suffix}`, name: 'Onboarding kickoff', description: '', kind: 'onboarding', draft: document });
    const version = await ds.getRepository(PlaybookVersionEntity).save({ playbookId: playbook.id, version: 1, hash: compiled.plan.hash, document, plan: compiled.plan, publishedBy: null });
    run = await ds.getRepository(RunEntity).save({
      workflowId: `wf-${suffix}`,
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
  });

  afterAll(async () => {
    mailer?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
    await ds?.destroy();
  });

  const touch = { channel: 'email' as const, to: 'champion', subject: 'Kicking off {{account.name}}', body: 'Hi {{recipient.name}}, I am {{csm.name}}.' };

  it('records step history idempotently and moves the run’s current step', async () => {
    const started = { runId: run.id, stepId: 'wait-3d', visit: 0, stepType: 'wait', status: 'waiting' as const, reason: 'Waiting 3 days', at: '2026-01-01T00:00:00.000Z' };
    await activities.recordStepStarted(started);
    await activities.recordStepStarted(started); // a retry after a lost response
    await activities.recordStepCompleted({ runId: run.id, stepId: 'wait-3d', visit: 0, outcome: 'next', reason: 'Waited 3 days', at: '2026-01-04T00:00:00.000Z' });
    const steps = await ds.getRepository(RunStepEntity).findBy({ runId: run.id, nodeId: 'wait-3d' });
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ status: 'completed', outcome: 'next', reason: 'Waited 3 days' });
    expect((await ds.getRepository(RunEntity).findOneByOrFail({ id: run.id })).currentNodeId).toBe('wait-3d');
  });

  it('opens one approval per step visit, assigned to the account’s CSM, with the touch rendered', async () => {
    const input = {
      runId: run.id,
      stepId: 'approve-kickoff',
      visit: 0,
      accountId: account.id,
      playbookVersionId: run.playbookVersionId,
      title: 'Send the kickoff email to {{account.name}}?',
      assignee: { kind: 'account_csm' as const },
      dueAt: '2026-01-06T00:00:00.000Z',
      proposedTouch: touch,
    };
    const first = await activities.openApproval(input);
    const retry = await activities.openApproval(input);
    expect(retry.approvalId).toBe(first.approvalId);
    expect(first.assigneeName).toBe('Casey Morgan');
    const approval = await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: first.approvalId });
    expect(approval).toMatchObject({ status: 'pending', assigneeId: csm.id, title: 'Send the kickoff email to Acme Analytics?' });
    expect(approval.proposed).toMatchObject({ subject: 'Kicking off Acme Analytics', body: 'Hi Dana Champion, I am Casey Morgan.' });
  });

  it('expires only a still-pending approval', async () => {
    const base = { runId: run.id, stepId: 'approve-again', accountId: account.id, playbookVersionId: run.playbookVersionId, title: 'Ok?', assignee: { kind: 'account_csm' as const }, dueAt: null, proposedTouch: null };
    const pending = await activities.openApproval({ ...base, visit: 0 });
    expect(await activities.expireApproval({ approvalId: pending.approvalId })).toBe('expired');
    const decided = await activities.openApproval({ ...base, visit: 1 });
    await ds.getRepository(ApprovalEntity).update({ id: decided.approvalId }, { status: 'approved' });
    expect(await activities.expireApproval({ approvalId: decided.approvalId })).toBe('approved');
  });

  it('cancels only a still-pending approval', async () => {
    const base = { runId: run.id, stepId: 'approve-cancel', accountId: account.id, playbookVersionId: run.playbookVersionId, title: 'Ok?', assignee: { kind: 'account_csm' as const }, dueAt: null, proposedTouch: null };
    const pending = await activities.openApproval({ ...base, visit: 0 });
    await activities.cancelApproval({ approvalId: pending.approvalId, reason: 'Cancelled by Morgan Lee: paused' });
    expect(await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: pending.approvalId })).toMatchObject({ status: 'cancelled', note: 'Cancelled by Morgan Lee: paused' });
    const decided = await activities.openApproval({ ...base, visit: 1 });
    await ds.getRepository(ApprovalEntity).update({ id: decided.approvalId }, { status: 'approved' });
    await activities.cancelApproval({ approvalId: decided.approvalId, reason: 'late' });
    expect((await ds.getRepository(ApprovalEntity).findOneByOrFail({ id: decided.approvalId })).status).toBe('approved');
  });

  it('sends the email over SMTP once, however often the activity is retried, and records why', async () => {
    const approvalId = (await ds.getRepository(ApprovalEntity).findOneByOrFail({ runId: run.id, nodeId: 'approve-kickoff' })).id;
    const input = { runId: run.id, stepId: 'kickoff-email', visit: 0, accountId: account.id, playbookVersionId: run.playbookVersionId, touch, approvalId, reason: 'approved by Casey Morgan' };
    const first = await activities.sendEmail(input);
    const retry = await activities.sendEmail(input);
    expect(retry.sentEmailId).toBe(first.sentEmailId);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual([first.toAddress]);
    expect(smtp.received[0].raw).toContain('Subject: Kicking off Acme Analytics');
    expect(smtp.received[0].raw).toContain(`X-Cairn-Run: ${run.id}`);
    const row = await ds.getRepository(SentEmailEntity).findOneByOrFail({ id: first.sentEmailId });
    expect(row).toMatchObject({ status: 'sent', runId: run.id, nodeId: 'kickoff-email', approvalId, playbookVersionId: run.playbookVersionId, reason: 'approved by Casey Morgan' });
    expect(smtp.received[0].raw).toContain(`Message-ID: ${row.messageId}`);
  });

  it('sends again with the same Message-ID when the worker died between the relay accepting and the row saying sent', async () => {
    const input = { runId: run.id, stepId: 'kickoff-email', visit: 7, accountId: account.id, playbookVersionId: run.playbookVersionId, touch, approvalId: null, reason: 'crash window' };
    const before = smtp.received.length;
    const first = await activities.sendEmail(input);
    // As a SIGKILL right after the DATA reply would leave it.
    await ds.getRepository(SentEmailEntity).update({ id: first.sentEmailId }, { status: 'sending', sentAt: null });
    const retry = await activities.sendEmail(input);
    const copies = smtp.received.slice(before);
    expect(copies).toHaveLength(2);
    const ids = copies.map((m) => /^Message-ID:\s*(<[^>]+>)/im.exec(m.raw)?.[1]);
    expect(ids).toEqual([first.messageId, first.messageId]);
    expect(retry).toEqual(first);
    expect(await ds.getRepository(SentEmailEntity).findOneByOrFail({ id: first.sentEmailId })).toMatchObject({ status: 'sent', messageId: first.messageId });
  });

  it('fails without retrying when the account has nobody in the addressed role', async () => {
    await expect(
      activities.sendEmail({ runId: run.id, stepId: 'sponsor-email', visit: 0, accountId: account.id, playbookVersionId: run.playbookVersionId, touch: { ...touch, to: 'sponsor' }, approvalId: null, reason: 'test' }),
    ).rejects.toMatchObject({ nonRetryable: true, type: 'RecipientMissing' });
  });

  it('finishes the run once', async () => {
    await activities.finishRun({ runId: run.id, outcome: 'completed', reason: 'done', at: '2026-01-07T00:00:00.000Z' });
    await activities.finishRun({ runId: run.id, outcome: 'exited', reason: 'late duplicate', at: '2026-01-08T00:00:00.000Z' });
    expect(await ds.getRepository(RunEntity).findOneByOrFail({ id: run.id })).toMatchObject({ status: 'completed', endedAt: new Date('2026-01-07T00:00:00.000Z') });
  });
});
