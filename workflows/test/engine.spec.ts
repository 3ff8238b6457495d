import type { PlaybookDocumentInput } from '@cairn/playbook';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { completeTaskUpdate, decideApprovalUpdate, type PlaybookRunResult, reassignApprovalUpdate, reassignTaskUpdate, runStateQuery } from '../src/definitions';
import { WAIT_HISTORY_LIMIT } from '../src/engine/context';
import { compiled, maybeRecord, startRun } from './support';

type Step = [id: string, type: string, data?: Record<string, unknown>];
type Edge = [source: string, target: string, handle?: string];

/** A small playbook document: steps in order, edges as [source, target, output]. */
function playbook(key: string, steps: Step[], edges: Edge[], settings?: PlaybookDocumentInput['settings']): PlaybookDocumentInput {
  return {
    schemaVersion: 2,
    key,
    name: key,
    ...(settings ? { settings } : {}),
    nodes: steps.map(([id, type, data], i) => ({ id, type, position: { x: 0, y: i * 100 }, data: data ?? {} })),
    edges: edges.map(([source, target, handle], i) => ({ id: `e${i}`, source, target, ...(handle ? { sourceHandle: handle } : {}) })),
  };
}

const churned = { exitWhen: [{ id: 'churned', label: 'Account churned', when: { on: 'event' as const, event: { type: 'crm.account_churned' } }, outcome: 'exited' as const }] };

/** Engine behaviour the templates do not show: long life, failures, enrollment, joins on "any". */
type Run = Awaited<ReturnType<typeof startRun>>;

/**
 * Sends messages (as the API does for every event of the account) in bursts of 25 until the
 * running execution's history passes the limit, then one at a time, each given a moment to wake
 * the wait, until the run has continued as new. A flood that went on while the hand-over was
 * pending would make its workflow task retry with every new message (faster than any account
 * sends), and the test would time that race instead of the engine. The hand-over is read from the
 * server, not by querying the run: a query that races the closing execution is lost by the
 * time-skipping test server, which then never lets time move again.
 */
async function floodUntilHandedOver(env: TestWorkflowEnvironment, run: Run, send: (i: number) => Promise<void>): Promise<number> {
  const currentRunId = async () => (await env.client.workflow.getHandle(run.handle.workflowId).describe()).runId;
  const before = await currentRunId();
  const handedOver = async () => {
    for (let poll = 0; poll < 20; poll++) {
      if ((await currentRunId()) !== before) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };
  let i = 0;
  while (i < 4 * WAIT_HISTORY_LIMIT) {
    const history = await env.client.workflow.getHandle(run.handle.workflowId).fetchHistory();
    const full = (history.events?.length ?? 0) >= WAIT_HISTORY_LIMIT;
    for (let n = full ? 1 : 25; n > 0; n--) await send(i++);
    if (full && (await handedOver())) return i;
  }
  throw new Error('the run did not continue as new');
}

describe('the engine on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = process.env.CAIRN_TEST_SERVER_PATH;
    if (!path) throw new Error('CAIRN_TEST_SERVER_PATH is not set: run through `npm test` (infra/testing/global-setup.mjs provides it)');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a monthly check-in loop for three years, continuing as new at each pass, with a small history', async () => {
    const plan = compiled(
      playbook(
        'monthly-check-in',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['month', 'wait', { mode: 'duration', duration: '30 days' }],
          ['check-in', 'touch', { channel: 'chat', to: 'csm', body: 'Monthly check-in with {{account.name}}' }],
        ],
        [
          ['start', 'month'],
          ['month', 'check-in'],
          ['check-in', 'month'],
        ],
        churned,
      ),
    );
    const run = await startRun(env, 'three-years', plan);
    const result = await run.worker.runUntil(async () => {
      await env.sleep('1100 days');
      const state = await run.until('36 passes', (s) => (s.generation ?? 0) >= 36);
      // The newest execution only holds the current pass: far below the 51,200-event limit.
      const history = await run.handle.fetchHistory();
      expect(history.events?.length).toBeLessThan(60);
      expect(state.active?.[0]).toMatchObject({ stepId: 'month' });
      expect(state.done?.length).toBeGreaterThan(0);
      await run.sendEvent('crm.account_churned');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', reason: expect.stringMatching(/^Exit criterion "Account churned" met/) });
    const checkIns = run.recorder.named('deliverTouch');
    expect(checkIns.length).toBeGreaterThanOrEqual(36);
    // The visit counter keeps counting across executions: every idempotency key is new.
    expect(new Set(checkIns.map((c) => `${c.stepId}:${c.visit}`)).size).toBe(checkIns.length);
    await maybeRecord('engine-monthly-loop-continued', run.handle);
    // An execution that ended by continuing as new, started from carried state (the second one):
    // replay then covers both the carrying and the hand-over, not only the final execution.
    const firstRunId = 'firstExecutionRunId' in run.handle ? run.handle.firstExecutionRunId : run.handle.signaledRunId;
    const first = await env.client.workflow.getHandle(run.handle.workflowId, firstRunId).fetchHistory();
    const secondRunId = first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId as string;
    expect(secondRunId).toBeTruthy();
    const second = env.client.workflow.getHandle(run.handle.workflowId, secondRunId);
    expect((await second.fetchHistory()).events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    await maybeRecord('engine-monthly-loop-second-execution', second);
  });

  it('continues as new in the middle of a 90-day wait flooded with account changes and events, keeping its deadline and its records', async () => {
    const plan = compiled(
      playbook(
        'busy-quarter',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['quarter', 'wait', { mode: 'duration', duration: '90 days' }],
          ['report', 'wait_for', { for: 'event', event: { type: 'product.report_shared' }, timeout: '90 days' }],
          ['shared', 'end', { outcome: 'completed', reason: 'Report shared' }],
          ['silent', 'end', { outcome: 'exited', reason: 'No report' }],
        ],
        [
          ['start', 'quarter'],
          ['quarter', 'report'],
          ['report', 'shared', 'received'],
          ['report', 'silent', 'timed_out'],
        ],
        churned,
      ),
    );
    const run = await startRun(env, 'busy-quarter', plan);
    const flood = (send: (i: number) => Promise<void>) => floodUntilHandedOver(env, run, send);
    const result = await run.worker.runUntil(async () => {
      const waiting = await run.activeStep('quarter');
      expect(run.dayOf(waiting.until as string)).toBeCloseTo(90, 2);
      // Account changes: each re-reads the account (a local activity) while the timer keeps running.
      // Thirty days pass between hand-overs: a wait that restarted its timer would end after day 90.
      await flood((i) => run.changeAccount((a) => (a.metrics.weekly_active_users = i), 'usage synced'));
      const carried = await run.activeStep('quarter');
      expect(carried).toMatchObject({ visit: 0, waitingFor: '90 days' });
      expect(run.dayOf(carried.until as string)).toBeCloseTo(90, 2);
      await env.sleep('30 days');
      await flood((i) => run.changeAccount((a) => (a.metrics.weekly_active_users = i), 'usage synced'));
      expect(await run.activeStep('quarter')).toEqual(carried);
      await env.sleep('30 days');
      await flood((i) => run.changeAccount((a) => (a.metrics.weekly_active_users = i), 'usage synced'));
      expect(await run.activeStep('quarter')).toEqual(carried);
      await env.sleep('29 days');
      expect(await run.activeStep('quarter')).toEqual(carried);
      await env.sleep('2 days');
      await run.activeStep('report');
      // Events nobody waits for (the API signals every event of the account), then the one the step waits for.
      await flood((i) => run.sendEvent('product.login', { user: i }));
      await run.sendEvent('product.report_shared');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', reason: 'Report shared' });
    // The wait fired on its original date, and each step was recorded once, whatever the executions.
    expect(run.dayOf(run.recorder.completed('quarter')?.at as string)).toBeCloseTo(90, 2);
    for (const stepId of ['quarter', 'report']) {
      expect(run.recorder.records.filter((r) => r.stepId === stepId).map((r) => r.kind)).toEqual(['started', 'completed']);
    }
    expect(run.recorder.completed('report')).toMatchObject({ visit: 0, outcome: 'received' });
    // Every execution stayed small; the chain is followed from the first run id.
    const lengths: number[] = [];
    let runId: string | undefined = 'firstExecutionRunId' in run.handle ? run.handle.firstExecutionRunId : undefined;
    const executions: string[] = [];
    while (runId) {
      executions.push(runId);
      const history = await env.client.workflow.getHandle(run.handle.workflowId, runId).fetchHistory();
      lengths.push(history.events?.length ?? 0);
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(lengths.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...lengths)).toBeLessThan(WAIT_HISTORY_LIMIT + 200);
    await maybeRecord('engine-wait-continued-as-new', run.handle);
    // An execution that both resumed a carried wait and handed it on.
    await maybeRecord('engine-wait-continued-as-new-middle', env.client.workflow.getHandle(run.handle.workflowId, executions[1]));
  });

  it('continues as new inside a wait for an account date and a wait for a condition: the moved date still moves the step, the condition still ends it', async () => {
    const plan = compiled(
      playbook(
        'busy-renewal',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['before', 'wait', { mode: 'until_date', field: 'renewal_date', offsetDays: -30 }],
          ['healthy', 'wait_for', { for: 'condition', condition: { field: 'account.health_score', op: 'gte', value: 80 }, timeout: '60 days' }],
          ['ok', 'end', { outcome: 'completed', reason: 'Healthy before renewal' }],
          ['ko', 'end', { outcome: 'exited', reason: 'Not healthy' }],
        ],
        [
          ['start', 'before'],
          ['before', 'healthy'],
          ['healthy', 'ok', 'received'],
          ['healthy', 'ko', 'timed_out'],
        ],
      ),
    );
    const startMs = await env.currentTimeMs();
    const date = (days: number) => new Date(startMs + days * 86_400_000).toISOString().slice(0, 10);
    const run = await startRun(env, 'busy-renewal', plan, { account: { dates: { renewal_date: date(100) }, attributes: { health_score: 50 } } });
    const usage = (i: number) => run.changeAccount((a) => (a.metrics.logins = i), 'usage synced');
    const result = await run.worker.runUntil(async () => {
      const first = await run.activeStep('before');
      expect(run.dayOf(first.until as string)).toBeGreaterThan(69);
      await floodUntilHandedOver(env, run, usage);
      // \`since\` is display only (read after a local activity, it may differ by a fraction of a second on replay).
      const { since: _since, ...waitingThen } = first;
      expect(await run.activeStep('before')).toMatchObject(waitingThen);
      // The CRM moves the renewal date after the hand-over: the resumed wait follows it.
      await run.changeAccount((a) => (a.dates.renewal_date = date(110)), 'renewal_date');
      const moved = await run.until('the date moved', (st) => Boolean(st.active?.some((a) => a.stepId === 'before' && a.until !== first.until)));
      expect(run.dayOf(moved.active?.[0].until as string)).toBeGreaterThan(79);
      await env.sleep('81 days');
      await run.activeStep('healthy');
      await floodUntilHandedOver(env, run, usage);
      await run.activeStep('healthy');
      await run.changeAccount((a) => (a.attributes.health_score = 85), 'health_score');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', reason: 'Healthy before renewal' });
    // The wait ended on the moved date, not the first one.
    expect(run.dayOf(run.recorder.completed('before')?.at as string)).toBeGreaterThan(79);
    expect(run.recorder.records.filter((r) => r.stepId === 'healthy').map((r) => r.kind)).toEqual(['started', 'completed']);
    expect(run.recorder.completed('healthy')).toMatchObject({ visit: 0, outcome: 'received' });
    await maybeRecord('engine-date-and-condition-waits-continued-as-new', run.handle);
  });

  it('exits when a condition exit criterion comes to hold after an account change, closing the wait with the reason', async () => {
    const unhealthy = {
      exitWhen: [{ id: 'unhealthy', label: 'Health collapsed', when: { on: 'condition' as const, condition: { field: 'account.health_score', op: 'lt' as const, value: 40 } }, outcome: 'exited' as const }],
    };
    const plan = compiled(
      playbook(
        'health-exit',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['month', 'wait', { mode: 'duration', duration: '30 days' }],
          ['done', 'end', {}],
        ],
        [
          ['start', 'month'],
          ['month', 'done'],
        ],
        unhealthy,
      ),
    );
    const run = await startRun(env, 'health-exit', plan, { account: { attributes: { health_score: 80 } } });
    const result = await run.worker.runUntil(async () => {
      await run.activeStep('month');
      await env.sleep('3 days');
      // Still healthy: a change that keeps the criterion false leaves the run waiting.
      await run.changeAccount((a) => (a.attributes.health_score = 55), 'health_score');
      await env.sleep('1 day');
      expect((await run.handle.query(runStateQuery)).status).toBe('running');
      await run.changeAccount((a) => (a.attributes.health_score = 25), 'health_score');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', reason: expect.stringMatching(/^Exit criterion "Health collapsed" met: /), path: ['start', 'month'] });
    expect(result.reason).toContain('25');
    expect(run.recorder.completed('month')).toMatchObject({ outcome: 'stopped', reason: result.reason });
    expect(run.dayOf(run.recorder.completed('month')?.at as string)).toBeCloseTo(4, 1);
    expect(run.recorder.named('finishRun')).toEqual([expect.objectContaining({ outcome: 'exited', reason: result.reason })]);
  });

  it('takes a webhook’s failed output after its retries, and exits when nothing handles the failure', async () => {
    const steps: Step[] = [
      ['start', 'trigger', { on: 'manual' }],
      ['notify-crm', 'webhook', { url: 'https://crm.example.com/hooks/cairn', retries: 2 }],
      ['ok', 'end', { outcome: 'completed' }],
      ['alert', 'touch', { channel: 'chat', to: 'csm', body: 'The CRM did not take the update for {{account.name}}' }],
      ['ko', 'end', { outcome: 'exited', reason: 'The CRM was not updated' }],
    ];
    const handled = compiled(playbook('webhook-handled', steps, [['start', 'notify-crm'], ['notify-crm', 'ok', 'next'], ['notify-crm', 'alert', 'failed'], ['alert', 'ko']]));
    const down = await startRun(env, 'webhook-down', handled, { webhook: 'down' });
    const downResult = await down.worker.runUntil(down.handle.result() as Promise<PlaybookRunResult>);
    expect(down.recorder.named('callWebhook').map((c) => c.maxAttempts)).toEqual([3, 3, 3]);
    expect(down.recorder.completed('notify-crm')).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('after 3 attempt(s)') });
    expect(downResult).toMatchObject({ outcome: 'exited', reason: 'The CRM was not updated', path: ['start', 'notify-crm', 'alert', 'ko'] });
    await maybeRecord('engine-webhook-failed-output', down.handle);

    const unhandled = compiled(playbook('webhook-unhandled', steps.slice(0, 3), [['start', 'notify-crm'], ['notify-crm', 'ok', 'next']]));
    const rejected = await startRun(env, 'webhook-rejected', unhandled, { webhook: 'reject' });
    const result = await rejected.worker.runUntil(rejected.handle.result() as Promise<PlaybookRunResult>);
    // A 4xx is not retried.
    expect(rejected.recorder.named('callWebhook')).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'exited', reason: expect.stringContaining('nothing is connected to its "failed" output') });
    await maybeRecord('engine-webhook-rejected-unhandled', rejected.handle);
  });

  it('enrolls into another playbook, joins on the first track, and absorbs the later one', async () => {
    const plan = compiled(
      playbook(
        'handoff',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['split', 'parallel', { tracks: [{ id: 'fast', label: 'Fast' }, { id: 'slow', label: 'Slow' }] }],
          ['renewal', 'enroll', { playbook: 'renewal-120' }],
          ['later', 'wait', { mode: 'duration', duration: '2 days' }],
          ['first', 'join', { mode: 'any' }],
          ['stage', 'update_account', { set: 'lifecycle_stage', stage: 'renewing' }],
          ['pause', 'wait', { mode: 'duration', duration: '5 days' }],
          ['done', 'end', {}],
        ],
        [
          ['start', 'split'],
          ['split', 'renewal', 'fast'],
          ['split', 'later', 'slow'],
          ['renewal', 'first'],
          ['later', 'first'],
          ['first', 'stage'],
          ['stage', 'pause'],
          ['pause', 'done'],
        ],
      ),
    );
    const run = await startRun(env, 'handoff', plan);
    const result = await run.worker.runUntil(run.handle.result() as Promise<PlaybookRunResult>);
    expect(result.outcome).toBe('completed');
    expect(run.recorder.named('enrollAccount')).toEqual([expect.objectContaining({ playbookKey: 'renewal-120', stepId: 'renewal', visit: 0 })]);
    expect(run.recorder.completed('renewal')).toMatchObject({ reason: 'Enrolled in renewal-120 v1' });
    const joins = run.recorder.records.filter((r) => r.kind === 'completed' && r.stepId === 'first').map((r) => (r.kind === 'completed' ? r.outcome : ''));
    expect(joins).toEqual(['next', 'absorbed']);
    // The join went on once: one account update, one end.
    expect(run.recorder.named('updateAccount')).toHaveLength(1);
    await maybeRecord('engine-enroll-join-any', run.handle);
  });

  it('refuses a decision from someone who is neither the assignee nor a manager, and accepts a manager’s', async () => {
    const plan = compiled(
      playbook(
        'approve-only',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['approve', 'approval', { title: 'Go ahead with {{account.name}}?', escalation: [{ after: '1 day', action: 'reassign_to_manager' }] }],
          ['yes', 'end', {}],
          ['no', 'end', { outcome: 'exited' }],
        ],
        [
          ['start', 'approve'],
          ['approve', 'yes', 'approved'],
          ['approve', 'no', 'rejected'],
        ],
      ),
    );
    const run = await startRun(env, 'decider', plan);
    const result = await run.worker.runUntil(async () => {
      const pending = await run.activeStep('approve');
      const approvalId = pending.approvalId as string;
      await expect(run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'approved', decidedById: 'u-ops', decidedByName: 'Olivia Park', decidedByRole: 'ops' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/Only Casey Morgan or a manager/) },
      });
      // A day later the ladder reassigns it to the manager.
      await env.sleep('1 day');
      await run.until('reassigned', (s) => s.active?.[0]?.waitingFor === 'Morgan Lee to decide');
      await expect(run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'rejected', decidedById: 'u-csm', decidedByName: 'Casey Morgan', decidedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/Only Morgan Lee or a manager/) },
      });
      await run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'rejected', decidedById: 'u-manager', decidedByName: 'Morgan Lee', note: 'Not this quarter' }] });
      expect((await run.handle.query(runStateQuery)).pendingApprovalId).toBeNull();
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', path: ['start', 'approve', 'no'] });
    expect(run.recorder.named('escalateApproval')).toEqual([expect.objectContaining({ action: 'reassign_to_manager', level: 1 })]);
    expect(run.recorder.completed('approve')).toMatchObject({ outcome: 'rejected', reason: 'Rejected by Morgan Lee: Not this quarter' });
  });

  it('hands an approval and a task to another person: the old assignee is refused, the new one accepted', async () => {
    const plan = compiled(
      playbook(
        'reassign',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['approve', 'approval', { title: 'Go ahead with {{account.name}}?' }],
          ['call', 'task', { title: 'Hold the call', owner: { side: 'ours', role: 'csm' }, due: { days: 3, from: 'step' }, completion: { by: 'person' } }],
          ['yes', 'end', {}],
          ['no', 'end', { outcome: 'exited' }],
        ],
        [
          ['start', 'approve'],
          ['approve', 'call', 'approved'],
          ['approve', 'no', 'rejected'],
          ['call', 'yes', 'done'],
        ],
      ),
    );
    const run = await startRun(env, 'reassign', plan);
    const dana = { assigneeId: 'u-dana', assigneeName: 'Dana Cole' };
    const result = await run.worker.runUntil(async () => {
      const approvalId = (await run.activeStep('approve')).approvalId as string;
      // Not waiting for it, a stranger, the same assignee again: refused before history.
      await expect(run.handle.executeUpdate(reassignApprovalUpdate, { args: [{ approvalId: 'nope', ...dana, reassignedById: 'u-csm', reassignedByName: 'Casey Morgan', reassignedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/not waiting for approval nope/) },
      });
      await expect(run.handle.executeUpdate(reassignApprovalUpdate, { args: [{ approvalId, ...dana, reassignedById: 'u-other', reassignedByName: 'Other CSM', reassignedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/Only Casey Morgan, a manager, ops or an admin may reassign/) },
      });
      await expect(run.handle.executeUpdate(reassignApprovalUpdate, { args: [{ approvalId, assigneeId: 'u-csm', assigneeName: 'Casey Morgan', reassignedById: 'u-manager', reassignedByName: 'Morgan Lee', reassignedByRole: 'cs_manager' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/already assigned to Casey Morgan/) },
      });
      await run.handle.executeUpdate(reassignApprovalUpdate, { args: [{ approvalId, ...dana, reassignedById: 'u-csm', reassignedByName: 'Casey Morgan', reassignedByRole: 'csm' }] });
      expect((await run.handle.query(runStateQuery)).active?.[0]?.waitingFor).toBe('Dana Cole to decide');
      // The old assignee no longer decides; the new one does.
      await expect(run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'approved', decidedById: 'u-csm', decidedByName: 'Casey Morgan', decidedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/Only Dana Cole or a manager/) },
      });
      await run.handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'approved', decidedById: 'u-dana', decidedByName: 'Dana Cole', decidedByRole: 'csm' }] });
      await expect(run.handle.executeUpdate(reassignApprovalUpdate, { args: [{ approvalId, assigneeId: 'u-csm', assigneeName: 'Casey Morgan', reassignedById: 'u-dana', reassignedByName: 'Dana Cole', reassignedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/not waiting for approval|already decided/) },
      });

      const taskId = (await run.activeStep('call')).taskId as string;
      // Ops hand the task over (they are not its owner, but may reassign).
      await run.handle.executeUpdate(reassignTaskUpdate, { args: [{ taskId, ...dana, reassignedById: 'u-ops', reassignedByName: 'Olivia Park', reassignedByRole: 'ops' }] });
      await expect(run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, completedById: 'u-csm', completedByName: 'Casey Morgan', completedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/owner or a manager/) },
      });
      await run.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, completedById: 'u-dana', completedByName: 'Dana Cole', completedByRole: 'csm' }] });
      await expect(run.handle.executeUpdate(reassignTaskUpdate, { args: [{ taskId, assigneeId: 'u-csm', assigneeName: 'Casey Morgan', reassignedById: 'u-dana', reassignedByName: 'Dana Cole', reassignedByRole: 'csm' }] })).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/no open task|already done/) },
      });
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'approve', 'call', 'yes'] });
    expect(run.recorder.completed('approve')).toMatchObject({ outcome: 'approved', reason: expect.stringContaining('Dana Cole') });
    expect(run.recorder.completed('call')).toMatchObject({ outcome: 'done', reason: 'Marked done by Dana Cole' });
    await maybeRecord('engine-reassign-approval-and-task', run.handle);
  });

  it('skips a touch to a role nobody holds, visibly, and goes on', async () => {
    const plan = compiled(
      playbook(
        'skip-missing',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['hello', 'touch', { channel: 'email', to: 'champion', subject: 'Hello', body: 'Hi {{recipient.name}}' }],
          ['done', 'end', {}],
        ],
        [
          ['start', 'hello'],
          ['hello', 'done'],
        ],
      ),
    );
    const run = await startRun(env, 'skip-missing', plan, { missingRoles: ['champion'] });
    const result = await run.worker.runUntil(run.handle.result() as Promise<PlaybookRunResult>);
    expect(result.outcome).toBe('completed');
    expect(run.recorder.completed('hello')).toMatchObject({ outcome: 'next', reason: 'Skipped: Acme has no champion in its people map' });
  });
  it('counts an event delivered twice (a retried ingest, a trigger and its route) once', async () => {
    const waitFor = (label: string) => ({ label, for: 'event', event: { type: 'product.report_shared' }, timeout: '7 days' });
    const plan = compiled(
      playbook(
        'dedupe-events',
        [
          ['start', 'trigger', { on: 'manual' }],
          ['first', 'wait_for', waitFor('First report')],
          ['second', 'wait_for', waitFor('Second report')],
          ['both', 'end', { outcome: 'completed', reason: 'Two reports shared' }],
          ['one', 'end', { outcome: 'exited', reason: 'Only one report shared' }],
          ['none', 'end', { outcome: 'exited', reason: 'No report shared' }],
        ],
        [
          ['start', 'first'],
          ['first', 'second', 'received'],
          ['first', 'none', 'timed_out'],
          ['second', 'both', 'received'],
          ['second', 'one', 'timed_out'],
        ],
      ),
    );
    const run = await startRun(env, 'dedupe-events', plan);
    const result = await run.worker.runUntil(async () => {
      await run.activeStep('first');
      await run.sendEvent('product.report_shared', {}, 'evt-report-1');
      await run.activeStep('second');
      // The same event again: the second wait must not take it.
      await run.sendEvent('product.report_shared', {}, 'evt-report-1');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'exited', reason: 'Only one report shared' });
    expect(run.recorder.completed('first')).toMatchObject({ outcome: 'received' });
    expect(run.recorder.completed('second')).toMatchObject({ outcome: 'timed_out' });
    await maybeRecord('engine-dedupe-events', run.handle);
  });
  it('climbs the whole ladder when nobody decides: notifies, reassigns, then skips the touch and goes on', async () => {
    const plan = compiled(
      playbook(
        'ladder-skip',
        [
          ['start', 'trigger', { on: 'manual' }],
          [
            'approve',
            'approval',
            {
              title: 'Send the expansion offer to {{account.name}}?',
              escalation: [
                { after: '1 day', action: 'notify_manager' },
                { after: '2 days', action: 'reassign_to_manager' },
                { after: '4 days', action: 'auto_skip' },
              ],
            },
          ],
          ['offer', 'touch', { channel: 'email', to: 'champion', subject: 'An offer', body: 'Hi {{recipient.name}}' }],
          ['sent', 'end', {}],
          ['skipped', 'end', { outcome: 'completed', reason: 'Offer skipped' }],
        ],
        [
          ['start', 'approve'],
          ['approve', 'offer', 'approved'],
          ['approve', 'skipped', 'rejected'],
          ['offer', 'sent'],
        ],
      ),
    );
    const run = await startRun(env, 'ladder-skip', plan);
    const result = await run.worker.runUntil(async () => {
      const pending = await run.activeStep('approve');
      expect(run.dayOf(pending.until as string)).toBeCloseTo(4, 1);
      await env.sleep('5 days');
      return (await run.handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'completed', path: ['start', 'approve', 'skipped'] });
    expect(run.recorder.named('escalateApproval').map((e) => [e.action, e.level])).toEqual([
      ['notify_manager', 1],
      ['reassign_to_manager', 2],
    ]);
    expect(run.recorder.named('resolveApproval')).toEqual([expect.objectContaining({ resolution: 'auto_skipped' })]);
    expect(run.recorder.completed('approve')).toMatchObject({ outcome: 'rejected', reason: 'Skipped automatically after 4 days' });
    expect(run.recorder.emails).toEqual([]);
    await maybeRecord('engine-escalation-ladder-skip', run.handle);
  });
});
