import { compilePlaybook, type ExecutablePlan, simulate, templates } from '@cairn/playbook';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { approvalDecisionSignal, cancelRunSignal, decideApprovalUpdate, PLAYBOOK_RUN_WORKFLOW, type PlaybookRunResult, type RunState, runStateQuery } from '../src/definitions';
import { recordingActivities } from './recording-activities';

const DAY = 86_400_000;
const workflowsPath = require.resolve('../src/workflows');

function onboardingPlan(): ExecutablePlan {
  const result = compilePlaybook(templates['onboarding-kickoff']);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.plan;
}

/** History as protobuf's own JSON (toJSON/fromObject). Recorded histories are replayed by replay.spec.ts on every CI run; refresh with CAIRN_RECORD_HISTORIES=1. */
function maybeRecord(name: string, history: unknown) {
  if (process.env.CAIRN_RECORD_HISTORIES) writeFileSync(join(__dirname, 'histories', `${name}.json`), JSON.stringify(history, null, 2) + '\n');
}

describe('playbookRun on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = process.env.CAIRN_TEST_SERVER_PATH;
    if (!path) throw new Error('CAIRN_TEST_SERVER_PATH is not set: run through `npm test` (infra/testing/global-setup.mjs provides it)');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function startRun(taskQueue: string, runId: string) {
    const recorder = recordingActivities();
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities: recorder.activities });
    const input = { runId, playbookVersionId: '11111111-1111-4111-8111-111111111111', accountId: '22222222-2222-4222-8222-222222222222', plan: onboardingPlan() };
    const handle = await env.client.workflow.start(PLAYBOOK_RUN_WORKFLOW, { taskQueue, workflowId: `test-${runId}`, args: [input] });
    return { recorder, worker, handle };
  }

  async function untilPendingApproval(handle: { query(query: typeof runStateQuery): Promise<RunState> }) {
    for (;;) {
      const state = await handle.query(runStateQuery);
      if (state.pendingApprovalId) return state.pendingApprovalId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('waits 3 days of workflow time, then resumes when the CSM approves and sends the email', async () => {
    const { recorder, worker, handle } = await startRun('approve', 'run-approved');
    const result = await worker.runUntil(async () => {
      const startedAt = await env.currentTimeMs();
      // Let the 3-day timer fire: the test server skips the time instead of waiting for it.
      await env.sleep('3 days');
      const approvalId = await untilPendingApproval(handle);
      expect((await env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(3 * DAY);
      // A decision for another approval is refused by the Update's validator, before history.
      await expect(handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'not-this-one', decision: 'approved', decidedById: 'u-csm', decidedByName: 'Casey Morgan' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/not waiting for approval/) } });
      await expect(handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'approved', decidedById: 'u-csm', decidedByName: 'Casey Morgan' }] })).resolves.toEqual({ accepted: true });
      await expect(handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: 'rejected', decidedById: 'u-csm', decidedByName: 'Casey Morgan' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/already decided|not waiting/) } });
      return (await handle.result()) as PlaybookRunResult;
    });

    expect(result).toEqual({ outcome: 'completed', reason: 'Reached the end of the playbook', path: ['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done'] });
    // The simulator predicts the same path and outcome: both use the same step semantics.
    const predicted = simulate(onboardingPlan(), { decisions: { 'approve-kickoff': { decision: 'approved', afterDays: 0 } } });
    expect([...new Set(predicted.entries.map((e) => e.stepId))]).toEqual(result.path);
    expect(predicted).toMatchObject({ outcome: result.outcome, reason: result.reason });
    const waitStarted = recorder.started('wait-3d');
    const waitDone = recorder.completed('wait-3d');
    expect(Date.parse(waitDone?.at as string) - Date.parse(waitStarted?.at as string)).toBeGreaterThanOrEqual(3 * DAY);
    expect(recorder.emails).toHaveLength(1);
    expect(recorder.emails[0]).toMatchObject({ stepId: 'kickoff-email', visit: 0, approvalId: expect.any(String), reason: expect.stringContaining('approved by Casey Morgan') });
    const approvalDone = recorder.completed('approve-kickoff');
    expect(approvalDone).toMatchObject({ outcome: 'approved', reason: 'Approved by Casey Morgan' });
    expect(recorder.calls.at(-1)).toMatchObject({ name: 'finishRun', input: { outcome: 'completed' } });
    maybeRecord('onboarding-kickoff-approved', temporal.api.history.v1.History.fromObject(await handle.fetchHistory()).toJSON());
  });

  it('takes the rejected output when the CSM rejects, and sends nothing', async () => {
    // The signal path still works, for runs started before decisions became Updates.
    const { recorder, worker, handle } = await startRun('reject', 'run-rejected');
    const result = await worker.runUntil(async () => {
      await env.sleep('3 days');
      const approvalId = await untilPendingApproval(handle);
      await handle.signal(approvalDecisionSignal, { approvalId, decision: 'rejected', decidedById: 'u-csm', decidedByName: 'Casey Morgan', note: 'Customer asked to wait' });
      return (await handle.result()) as PlaybookRunResult;
    });
    expect(result.outcome).toBe('exited');
    expect(result.path).toEqual(['start', 'wait-3d', 'approve-kickoff', 'skipped']);
    expect(recorder.emails).toHaveLength(0);
    const approvalDone = recorder.completed('approve-kickoff');
    expect(approvalDone).toMatchObject({ outcome: 'rejected', reason: 'Rejected by Casey Morgan: Customer asked to wait' });
  });

  it('expires the approval when nobody decides within its 2-day SLA', async () => {
    const { recorder, worker, handle } = await startRun('expire', 'run-expired');
    const result = await worker.runUntil(handle.result() as Promise<PlaybookRunResult>);
    expect(result.outcome).toBe('exited');
    expect(result.path).toEqual(['start', 'wait-3d', 'approve-kickoff', 'skipped']);
    expect(simulate(onboardingPlan(), { decisions: { 'approve-kickoff': { decision: 'none' } } })).toMatchObject({ outcome: 'exited', reason: result.reason });
    expect(recorder.named('resolveApproval')).toEqual([expect.objectContaining({ resolution: 'expired' })]);
    expect(recorder.emails).toHaveLength(0);
    const opened = recorder.calls.find((c) => c.name === 'openApproval');
    const expired = recorder.completed('approve-kickoff');
    expect(expired?.kind === 'completed' && expired.outcome).toBe('expired');
    expect(Date.parse(expired?.at as string) - Date.parse(opened?.input.dueAt as string)).toBeGreaterThanOrEqual(0);
    maybeRecord('onboarding-kickoff-expired', temporal.api.history.v1.History.fromObject(await handle.fetchHistory()).toJSON());
  });

  it('stops wherever it is when a person cancels it, and says who and why', async () => {
    const { recorder, worker, handle } = await startRun('cancel-wait', 'run-cancelled-waiting');
    const result = await worker.runUntil(async () => {
      await env.sleep('1 day');
      await handle.signal(cancelRunSignal, { cancelledById: 'u-2', cancelledByName: 'Morgan Lee', reason: 'Customer paused the project' });
      return (await handle.result()) as PlaybookRunResult;
    });
    expect(result).toMatchObject({ outcome: 'cancelled', reason: 'Cancelled by Morgan Lee: Customer paused the project', path: ['start', 'wait-3d'] });
    expect(recorder.completed('wait-3d')).toMatchObject({ outcome: 'cancelled' });
    expect(recorder.calls.at(-1)).toMatchObject({ name: 'finishRun', input: { outcome: 'cancelled', reason: 'Cancelled by Morgan Lee: Customer paused the project' } });
    expect(recorder.calls.some((c) => c.name === 'openApproval')).toBe(false);
    maybeRecord('onboarding-kickoff-cancelled', temporal.api.history.v1.History.fromObject(await handle.fetchHistory()).toJSON());
  });

  it('closes a pending approval when the run is cancelled', async () => {
    const { recorder, worker, handle } = await startRun('cancel-approval', 'run-cancelled-approval');
    const result = await worker.runUntil(async () => {
      await env.sleep('3 days');
      const approvalId = await untilPendingApproval(handle);
      await handle.signal(cancelRunSignal, { cancelledById: 'u-2', cancelledByName: 'Morgan Lee', reason: 'Duplicate account' });
      const finished = (await handle.result()) as PlaybookRunResult;
      expect(recorder.approvals.get(approvalId)?.status).toBe('cancelled');
      return finished;
    });
    expect(result.outcome).toBe('cancelled');
    expect(recorder.emails).toHaveLength(0);
  });
});
