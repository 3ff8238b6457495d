import { simulate, type SimulationInput } from '@cairn/playbook';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { completeTaskUpdate, decideApprovalUpdate, type PlaybookRunResult, runStateQuery } from '../src/definitions';
import { DAY, maybeRecord, startRun, templatePlan } from './support';

/**
 * Every shipped template, run by the real workflow code on Temporal's time-skipping test server
 * through its 30/60/90-day (or multi-month) story in seconds, and checked against what the
 * simulator predicts for the same account and events.
 */
describe('templates on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = process.env.CAIRN_TEST_SERVER_PATH;
    if (!path) throw new Error('CAIRN_TEST_SERVER_PATH is not set: run through `npm test` (infra/testing/global-setup.mjs provides it)');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  type Run = Awaited<ReturnType<typeof startRun>>;
  /** The outputs the run took, as `step>handle`, in the simulator's terms. */
  // Splits, join arrivals and end steps are recorded by the engine but are not outputs taken.
  const notOutputs = new Set(['split', 'arrived', 'absorbed', 'completed', 'exited', 'stopped', 'cancelled']);
  const took = (run: Run) =>
    run.recorder.records.flatMap((r) => (r.kind === 'completed' && !notOutputs.has(r.outcome) ? [`${r.stepId}>${r.outcome}`] : []));
  const predicted = (key: string, input: SimulationInput) =>
    simulate(templatePlan(key), input)
      .entries.filter((e) => e.what === 'took' && e.stepType !== 'parallel')
      .map((e) => `${e.stepId}>${e.handle}`);
  const sorted = (list: string[]) => [...list].sort();

  it('onboarding-30-60-90: both tracks, a task done by a person, milestones on time, completed at day 90', async () => {
    const account = { attributes: { health_score: 85 }, metrics: { weekly_active_users: 12, active_user_ratio: 0.7 } };
    const run = await startRun(env, 'onboarding-happy', templatePlan('onboarding-30-60-90'), { account });
    const result = await run.worker.runUntil(async () => {
      await run.activeStep('sso');
      const integrations = await run.activeStep('integrations');
      await env.sleep('5 days');
      await run.sendEvent('product.sso_configured');
      // Someone who neither owns the task nor manages is refused before history.
      const taskId = integrations.taskId as string;
      await expect(run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, completedById: 'u-other', completedByName: 'Other CSM', completedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/owner or a manager/) },
      });
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, completedById: 'u-csm', completedByName: 'Casey Morgan', note: 'Salesforce and Slack connected' }] });
      await expect(run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, completedById: 'u-csm', completedByName: 'Casey Morgan' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/no open task|already done/) } });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', reason: 'Reached the end of the playbook' });
    expect(run.dayOf(run.recorder.completed('day-90')?.at as string)).toBeCloseTo(90, 2);
    expect(run.recorder.named('recordMilestone').map((m) => `${m.name}:${m.status}`)).toEqual(['Kickoff held:reached_on_time', 'First value:reached_on_time', 'Adoption:reached_on_time', 'Expansion-ready:reached_on_time']);
    expect(run.recorder.completed('integrations')).toMatchObject({ outcome: 'done', reason: 'Marked done by Casey Morgan: Salesforce and Slack connected' });
    expect(run.recorder.completed('together', 1)).toMatchObject({ outcome: 'next', reason: 'All 2 tracks arrived' });
    expect(run.recorder.named('updateAccount')).toEqual([expect.objectContaining({ change: { attribute: 'lifecycle_stage', value: 'value_realized' } })]);
    expect(sorted(took(run))).toEqual(sorted(predicted('onboarding-30-60-90', { account, events: [{ day: 5, type: 'product.sso_configured' }], tasks: { integrations: { doneAfterDays: 5 } } })));
    await maybeRecord('template-onboarding-30-60-90-completed', run.handle);
  });

  it('onboarding-30-60-90: the account churns mid-run and the exit criterion ends every track', async () => {
    const run = await startRun(env, 'onboarding-churn', templatePlan('onboarding-30-60-90'));
    const result = await run.worker.runUntil(async () => {
      await run.activeStep('integrations');
      await env.sleep('9 days');
      await run.sendEvent('crm.account_churned', { reason: 'budget' });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result.outcome).toBe('exited');
    expect(result.reason).toMatch(/^Exit criterion "Account churned" met: crm.account_churned/);
    // The two tasks that were open close with the run's reason, and leave the task lists.
    expect(run.recorder.completed('sso')).toMatchObject({ outcome: 'stopped', reason: result.reason });
    expect(run.recorder.completed('integrations')).toMatchObject({ outcome: 'stopped' });
    expect([...run.recorder.tasks.values()].map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect(run.recorder.named('finishRun')).toEqual([expect.objectContaining({ outcome: 'exited', reason: result.reason })]);
    await maybeRecord('template-onboarding-30-60-90-churned', run.handle);
  });

  it('onboarding-30-60-90: integrations done late, first value reached late, adoption missed, so the run stalls at day 90', async () => {
    const account = { attributes: { health_score: 85 }, metrics: { weekly_active_users: 4, active_user_ratio: 0.3 } };
    const run = await startRun(env, 'onboarding-stalled', templatePlan('onboarding-30-60-90'), { account });
    const result = await run.worker.runUntil(async () => {
      const integrations = await run.activeStep('integrations');
      await env.sleep('3 days');
      await run.sendEvent('product.sso_configured');
      // Our task has no "overdue" output: past day 21 it stays open and the run waits for it.
      await env.sleep('33 days');
      const overdue = await run.activeStep('integrations');
      expect(overdue).toMatchObject({ until: null, waitingFor: expect.stringContaining('to mark it done') });
      await run.changeAccount((a) => (a.metrics.weekly_active_users = 12), 'metric.weekly_active_users');
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: integrations.taskId as string, completedById: 'u-csm', completedByName: 'Casey Morgan' }] });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', reason: 'Adoption not reached by day 90' });
    expect(run.recorder.named('markTaskOverdue')).toEqual([expect.objectContaining({ taskId: expect.any(String) })]);
    expect(run.recorder.completed('integrations')).toMatchObject({ outcome: 'done', reason: 'Marked done by Casey Morgan, late' });
    const milestones = run.recorder.named('recordMilestone');
    expect(milestones.map((m) => `${m.name}:${m.status}`)).toEqual(['Kickoff held:reached_on_time', 'First value:reached_late', 'Adoption:missed']);
    expect(milestones[1]).toMatchObject({ targetDay: 30, day: expect.any(Number) });
    expect(milestones[1].day as number).toBeGreaterThan(30);
    expect(run.recorder.completed('m-value')).toMatchObject({ reason: expect.stringMatching(/^"First value" reached on day 36(\.\d+)?, 6(\.\d+)? days late \(target day 30\)$/) });
    expect(run.recorder.completed('m-adoption')).toMatchObject({ reason: expect.stringContaining('"Adoption" not reached') });
    // Healthy, but adoption was not on time: the branch's otherwise arm tells the manager.
    expect(run.recorder.completed('ready')).toMatchObject({ outcome: 'otherwise' });
    // The high-touch kickoff is a meeting task; the only other touch is the manager's chat.
    expect(run.recorder.named('deliverTouch').map((t) => [t.stepId, (t.touch as { channel: string }).channel])).toEqual([
      ['kickoff', 'meeting'],
      ['stalled', 'chat'],
    ]);
    expect(run.recorder.named('updateAccount')).toEqual([]);
    expect(run.dayOf(run.recorder.completed('day-90')?.at as string)).toBeCloseTo(90, 2);
  });

  it('onboarding-30-60-90: SSO never configured takes the overdue arm and ends the run', async () => {
    const run = await startRun(env, 'onboarding-no-sso', templatePlan('onboarding-30-60-90'));
    const result = await run.worker.runUntil(run.handle.result() as Promise<PlaybookRunResult>);
    expect(result).toMatchObject({ outcome: 'exited', reason: 'SSO not configured' });
    expect(run.recorder.completed('sso')).toMatchObject({ outcome: 'overdue' });
    expect(run.dayOf(run.recorder.completed('sso')?.at as string)).toBeCloseTo(14, 2);
    expect(run.recorder.emails.map((e) => e.stepId)).toEqual(['sso-late']);
    // The other track's task was cut short with the run's reason.
    expect(run.recorder.completed('integrations')).toMatchObject({ outcome: 'stopped', reason: 'SSO not configured' });
  });

  it('low-usage-intervention: waits time out, the approval expires, usage recovers on the last rung', async () => {
    const account = { metrics: { weekly_active_users: 3 } };
    const run = await startRun(env, 'low-usage', templatePlan('low-usage-intervention'), { account, withEvent: { type: 'product.usage_dropped', data: { drop_percent: 40 } } });
    const result = await run.worker.runUntil(async () => {
      await env.sleep('10 days');
      const wait3 = await run.activeStep('wait-3');
      expect(wait3.waitingFor).toBe('metric.weekly_active_users gte 10');
      await env.sleep('2 days');
      await run.changeAccount((a) => (a.metrics.weekly_active_users = 15), 'metric.weekly_active_users');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'email', 'wait-1', 'approve-call', 'manager', 'wait-3', 'recovered'] });
    expect(run.recorder.completed('wait-1')).toMatchObject({ outcome: 'timed_out', reason: 'metric.weekly_active_users gte 10 did not hold within 7 days' });
    expect(run.recorder.completed('approve-call')).toMatchObject({ outcome: 'expired', reason: 'No decision within 2 days' });
    expect(run.recorder.named('resolveApproval')).toEqual([expect.objectContaining({ resolution: 'expired' })]);
    expect(run.recorder.completed('wait-3')).toMatchObject({ outcome: 'received' });
    expect(run.recorder.named('deliverTouch')).toEqual([expect.objectContaining({ touch: expect.objectContaining({ channel: 'chat', to: 'cs_manager' }) })]);
    const recovered = [{ day: 12, type: 'product.usage_update', set: { 'metric.weekly_active_users': 15 } }];
    expect(took(run)).toEqual(predicted('low-usage-intervention', { account, events: recovered, decisions: { 'approve-call': { decision: 'none' } } }));
    await maybeRecord('template-low-usage-intervention-recovered', run.handle);
  });

  it('champion-left: started by the event, the task completes when the people map has a champion again', async () => {
    const run = await startRun(env, 'champion-left', templatePlan('champion-left'), { account: { roles: ['sponsor', 'admin'] }, withEvent: { type: 'crm.champion_left', data: { name: 'Dana' } } });
    const result = await run.worker.runUntil(async () => {
      await run.activeStep('remap');
      await env.sleep('3 days');
      await run.changeAccount((a) => a.roles.push('champion'), 'people map: champion');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'flag', 'alert', 'remap', 'welcome', 'restored', 'done'] });
    expect(run.recorder.completed('start')).toMatchObject({ reason: 'Started by crm.champion_left' });
    expect(run.recorder.completed('remap')).toMatchObject({ outcome: 'done', reason: 'role.champion exists holds' });
    expect(run.recorder.named('closeTask')).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(run.recorder.named('deliverTouch').map((t) => (t.touch as { channel: string }).channel)).toEqual(['chat', 'meeting']);
    expect(run.recorder.account.attributes.champion_status).toBe('mapped');
    expect(took(run)).toEqual(
      predicted('champion-left', { account: { roles: ['sponsor', 'admin'] }, events: [{ day: 3, type: 'crm.people_changed', set: { 'role.champion': true } }] }),
    );
    await maybeRecord('template-champion-left-remapped', run.handle);
  });

  it('renewal-120: the renewal date moves, the late approval escalates and auto-approves, the renewal is signed', async () => {
    const startMs = await env.currentTimeMs();
    const date = (days: number) => new Date(startMs + days * DAY).toISOString().slice(0, 10);
    // A date wait fires at the start (UTC) of its day, so how far off it is depends on the hour the test runs.
    const ninetyDaysBefore = (day: string) => new Date(Date.parse(day) - 90 * DAY).toISOString();
    const run = await startRun(env, 'renewal', templatePlan('renewal-120'), { account: { dates: { renewal_date: date(120) } } });
    const result = await run.worker.runUntil(async () => {
      const first = await run.activeStep('d-90');
      expect(first.until).toBe(ninetyDaysBefore(date(120)));
      await env.sleep('10 days');
      // The CRM moves the renewal 30 days later: the pending wait follows it.
      await run.changeAccount((a) => (a.dates.renewal_date = date(150)), 'renewal_date');
      const moved = await run.until('d-90 moved', (s) => Boolean(s.active?.some((a) => a.stepId === 'd-90' && run.dayOf(a.until as string) > 55)));
      expect(moved.active?.[0].until).toBe(ninetyDaysBefore(date(150)));
      await env.sleep('51 days');
      const prepare = await run.activeStep('prepare');
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: prepare.taskId as string, completedById: 'u-csm', completedByName: 'Casey Morgan' }] });
      await env.sleep('30 days');
      const approval = await run.activeStep('approve');
      expect(approval.waitingFor).toBe('Morgan Lee to decide');
      await env.sleep('40 days');
      await run.activeStep('signed');
      await env.sleep('5 days');
      await run.sendEvent('crm.renewal_signed', { amount: 120000 });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'recap', 'd-90', 'prepare', 'd-60', 'approve', 'proposal', 'd-30', 'signed', 'renewed', 'done'] });
    expect(run.dayOf(run.recorder.completed('d-90')?.at as string)).toBeGreaterThanOrEqual(59);
    const [escalation] = run.recorder.named('escalateApproval');
    expect(escalation).toMatchObject({ action: 'notify_manager', level: 1 });
    expect(run.recorder.named('resolveApproval')).toEqual([expect.objectContaining({ resolution: 'auto_approved' })]);
    expect(run.recorder.completed('approve')).toMatchObject({ outcome: 'approved', reason: 'Approved automatically after 7 days' });
    const opened = run.recorder.started('approve');
    expect(run.dayOf(run.recorder.completed('approve')?.at as string) - run.dayOf(opened?.at as string)).toBeCloseTo(7, 1);
    expect(run.recorder.emails.map((e) => e.stepId)).toEqual(['recap', 'proposal']);
    expect(run.recorder.emails[1]).toMatchObject({ approvalId: expect.any(String), reason: expect.stringContaining('approved by Cairn (auto-approved)') });
    expect(run.recorder.account.attributes.lifecycle_stage).toBe('expanding');
    await maybeRecord('template-renewal-120-signed', run.handle);
  });

  it('qbr-cadence: an event that does not match the filter is ignored; the QBR is held', async () => {
    const run = await startRun(env, 'qbr', templatePlan('qbr-cadence'));
    const result = await run.worker.runUntil(async () => {
      const prepare = await run.activeStep('prepare');
      await env.sleep('2 days');
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: prepare.taskId as string, completedById: 'u-manager', completedByName: 'Morgan Lee', completedByRole: 'cs_manager' }] });
      await run.activeStep('held');
      await env.sleep('6 days');
      await run.sendEvent('crm.meeting_held', { kind: 'onboarding' });
      await env.sleep('1 day');
      expect((await run.handle.query(runStateQuery)).active?.[0].stepId).toBe('held');
      await run.sendEvent('crm.meeting_held', { kind: 'qbr' });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'prepare', 'meeting', 'held', 'recorded', 'done'] });
    expect(run.recorder.completed('prepare')).toMatchObject({ reason: 'Marked done by Morgan Lee' });
    expect(run.recorder.account.attributes.last_qbr_status).toBe('held');
    await maybeRecord('template-qbr-cadence-held', run.handle);
  });

  it('qbr-cadence: no QBR within 21 days times out and nudges the CSM', async () => {
    const run = await startRun(env, 'qbr-missed', templatePlan('qbr-cadence'));
    const result = await run.worker.runUntil(async () => {
      const prepare = await run.activeStep('prepare');
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: prepare.taskId as string, completedById: 'u-csm', completedByName: 'Casey Morgan' }] });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', reason: 'No QBR this quarter', path: ['start', 'prepare', 'meeting', 'held', 'nudge', 'missed'] });
    expect(run.recorder.completed('held')).toMatchObject({ outcome: 'timed_out', reason: 'No crm.meeting_held within 21 days' });
  });

  it('advocacy-expansion: not a promoter yet takes the otherwise arm and asks nothing', async () => {
    const account = { attributes: { health_score: 90 }, metrics: { nps: 6 } };
    const run = await startRun(env, 'advocacy-not-yet', templatePlan('advocacy-expansion'), { account, withEvent: { type: 'cairn.milestone_reached', data: { milestone: 'First value' } } });
    const result = await run.worker.runUntil(run.handle.result() as Promise<PlaybookRunResult>);
    expect(result).toMatchObject({ outcome: 'exited', reason: 'Health or NPS below the bar', path: ['start', 'proven', 'not-yet'] });
    expect(run.recorder.completed('proven')).toMatchObject({ outcome: 'otherwise' });
    expect(run.recorder.emails).toEqual([]);
    expect(run.recorder.named('openApproval')).toEqual([]);
    expect(took(run)).toEqual(predicted('advocacy-expansion', { account }));
  });

  it('advocacy-expansion: nobody approves the ask within its SLA, so only the add-on goes out and the join still completes', async () => {
    const account = { attributes: { health_score: 90 }, metrics: { nps: 10 } };
    const run = await startRun(env, 'advocacy-expired', templatePlan('advocacy-expansion'), { account, withEvent: { type: 'cairn.milestone_reached', data: { milestone: 'First value' } } });
    const result = await run.worker.runUntil(run.handle.result() as Promise<PlaybookRunResult>);
    expect(result.outcome).toBe('completed');
    expect(run.recorder.completed('approve-ask')).toMatchObject({ outcome: 'expired' });
    expect(run.dayOf(run.recorder.completed('approve-ask')?.at as string)).toBeCloseTo(5, 2);
    expect(run.recorder.emails.map((e) => e.stepId)).toEqual(['addon']);
    expect(run.recorder.records.filter((r) => r.kind === 'completed' && r.stepId === 'both').map((r) => (r.kind === 'completed' ? r.outcome : ''))).toEqual(['arrived', 'next']);
    expect(sorted(took(run))).toEqual(sorted(predicted('advocacy-expansion', { account, decisions: { 'approve-ask': { decision: 'none' } } })));
  });

  it('advocacy-expansion: parallel tracks, an edited approval, and a join that waits for both', async () => {
    const account = { attributes: { health_score: 90 }, metrics: { nps: 10 } };
    const run = await startRun(env, 'advocacy', templatePlan('advocacy-expansion'), { account, withEvent: { type: 'cairn.milestone_reached', data: { milestone: 'First value' } } });
    const result = await run.worker.runUntil(async () => {
      const approval = await run.activeStep('approve-ask');
      await env.sleep('1 day');
      const approvalId = approval.approvalId as string;
      await expect(run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'approved', decidedById: 'u-other', decidedByName: 'Other CSM', decidedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/Only Casey Morgan or a manager/) },
      });
      await run.handle.executeUpdate(decideApprovalUpdate, {
        args: [{ approvalId, decision: 'approved', decidedById: 'u-csm', decidedByName: 'Casey Morgan', editedTouch: { subject: 'A story worth telling, {{account.name}}?' } }],
      });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result.outcome).toBe('completed');
    expect(run.recorder.emails.map((e) => e.stepId).sort()).toEqual(['addon', 'ask']);
    expect(run.recorder.emails.find((e) => e.stepId === 'ask')?.touch.subject).toBe('A story worth telling, {{account.name}}?');
    expect(run.recorder.completed('approve-ask')).toMatchObject({ outcome: 'approved', reason: 'Approved by Casey Morgan (edited the touch)' });
    expect(run.recorder.records.filter((r) => r.kind === 'completed' && r.stepId === 'both').map((r) => (r.kind === 'completed' ? r.outcome : ''))).toEqual(['arrived', 'next']);
    expect(sorted(took(run))).toEqual(sorted(predicted('advocacy-expansion', { account, decisions: { 'approve-ask': { decision: 'approved', afterDays: 1 } } })));
    await maybeRecord('template-advocacy-expansion-completed', run.handle);
  });
});
