// FROZEN: the thin-path engine (compiler v1/v2, before the generic interpreter). Runs started
// before the `generic-interpreter` patch replay through this code; never change what it does,
// or their histories stop replaying (test/replay.spec.ts). New runs take engine/run-plan.ts.
import { approvalReason, durationMs, endOutcome, type ExecutablePlan, nextStepId, type PlanStep, waitSpan } from '@cairn/playbook';
import { ApplicationFailure, CancellationScope, condition, isCancellation, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { EmailTouch, PlaybookActivities, StepRef } from '../activities';
import {
  type ApprovalDecision,
  approvalDecisionSignal,
  type CancelRunRequest,
  decideApprovalUpdate,
  cancelRunSignal,
  type PlaybookRunInput,
  type PlaybookRunResult,
  type RunOutcome,
  type RunState,
  runStateQuery,
} from '../definitions';

const activities = proxyActivities<PlaybookActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** What a step hands to the next one: the output it took and why. */
interface StepResult {
  handle: string;
  reason: string;
}

/** Context carried between steps: the approval (if any) that allowed the next touch. */
interface RunContext {
  input: PlaybookRunInput;
  state: RunState;
  decisions: Map<string, ApprovalDecision>;
  approval: { id: string; decidedByName: string } | null;
  cancel: CancelRunRequest | null;
}

const nowIso = () => new Date().toISOString();

function stepData<T>(step: PlanStep): T {
  return step.data as T;
}

async function runTrigger(ref: StepRef, step: PlanStep): Promise<StepResult> {
  await activities.recordStepStarted({ ...ref, stepType: step.type, status: 'started', reason: 'Account enrolled in the playbook', at: nowIso() });
  return { handle: 'next', reason: 'Account enrolled in the playbook' };
}

async function runWait(ref: StepRef, step: PlanStep): Promise<StepResult> {
  // The same semantics the simulator uses (@cairn/playbook semantics/steps.ts).
  const span = waitSpan(stepData(step), { enrolledAtMs: workflowInfo().startTime.getTime(), nowMs: Date.now() });
  // Account dates are not given to the workflow yet, so publish refuses `until_date` waits.
  if (span.ms === null) throw ApplicationFailure.nonRetryable(`Cannot wait ${span.what}`, 'UnsupportedStep');
  const { ms, what } = span as { ms: number; what: string };
  const until = new Date(Date.now() + ms).toISOString();
  await activities.recordStepStarted({ ...ref, stepType: step.type, status: 'waiting', reason: `Waiting ${what}, until ${until}`, at: nowIso() });
  if (ms > 0) await sleep(ms);
  return { handle: 'next', reason: `Waited ${what}` };
}

/** The touch an approval's `approved` output leads to, shown to the approver before it is sent. */
function proposedTouch(plan: ExecutablePlan, step: PlanStep): EmailTouch | null {
  const nextId = step.next['approved'];
  const next = nextId ? plan.steps[nextId] : undefined;
  if (!next || next.type !== 'touch') return null;
  const { channel, to, subject, body } = stepData<EmailTouch>(next);
  return { channel, to, subject, body };
}

async function runApproval(ref: StepRef, step: PlanStep, ctx: RunContext): Promise<StepResult> {
  const data = stepData<{ title: string; assignee: { kind: 'account_csm' } | { kind: 'user'; userId: string }; sla?: string }>(step);
  const slaMs = data.sla ? durationMs(data.sla) : undefined;
  const dueAt = slaMs ? new Date(Date.now() + slaMs).toISOString() : null;
  const { approvalId, assigneeName } = await activities.openApproval({
    ...ref,
    accountId: ctx.input.accountId,
    playbookVersionId: ctx.input.playbookVersionId,
    title: data.title,
    assignee: data.assignee,
    dueAt,
    proposedTouch: proposedTouch(ctx.input.plan, step),
  });
  ctx.state.pendingApprovalId = approvalId;
  const who = assigneeName ?? 'an approver';
  await activities.recordStepStarted({ ...ref, stepType: step.type, status: 'waiting', reason: `Waiting for ${who} to approve${dueAt ? ` by ${dueAt}` : ''}`, at: nowIso() });

  const hasDecision = () => ctx.decisions.has(approvalId);
  // Without an SLA the approval waits as long as it takes; `condition` without a timeout resolves void.
  const decided = slaMs === undefined ? (await condition(hasDecision), true) : await condition(hasDecision, slaMs);
  if (!decided) {
    const status = await activities.expireApproval({ approvalId });
    // A decision recorded just before the deadline wins; its signal is on its way.
    if (status === 'expired' || status === 'pending') {
      ctx.state.pendingApprovalId = null;
      return { handle: 'expired', reason: `${who} did not decide within ${data.sla}` };
    }
    await condition(hasDecision);
  }
  const decision = ctx.decisions.get(approvalId) as ApprovalDecision;
  ctx.state.pendingApprovalId = null;
  if (decision.decision === 'approved') ctx.approval = { id: approvalId, decidedByName: decision.decidedByName };
  return { handle: decision.decision, reason: approvalReason(decision.decision, decision.decidedByName, decision.note) };
}

async function runTouch(ref: StepRef, step: PlanStep, ctx: RunContext): Promise<StepResult> {
  const touch = stepData<EmailTouch>(step);
  const approval = ctx.approval;
  const reason = approval
    ? `"${step.label}" of ${ctx.input.plan.name}, approved by ${approval.decidedByName}`
    : `"${step.label}" of ${ctx.input.plan.name}, reached without an approval step`;
  await activities.recordStepStarted({ ...ref, stepType: step.type, status: 'started', reason, at: nowIso() });
  const sent = await activities.sendEmail({
    ...ref,
    accountId: ctx.input.accountId,
    playbookVersionId: ctx.input.playbookVersionId,
    touch: { channel: touch.channel, to: touch.to, subject: touch.subject, body: touch.body },
    approvalId: approval?.id ?? null,
    reason,
  });
  ctx.approval = null;
  return { handle: 'next', reason: `Email sent to ${sent.toAddress} (${touch.to})` };
}

async function runStep(ref: StepRef, step: PlanStep, ctx: RunContext): Promise<StepResult | { end: 'completed' | 'exited'; reason: string }> {
  switch (step.type) {
    case 'trigger':
      return runTrigger(ref, step);
    case 'wait':
      return runWait(ref, step);
    case 'approval':
      return runApproval(ref, step, ctx);
    case 'touch':
      return runTouch(ref, step, ctx);
    case 'end': {
      const end = endOutcome(stepData(step));
      await activities.recordStepStarted({ ...ref, stepType: step.type, status: 'started', reason: 'Reached the end of the playbook', at: nowIso() });
      return { end: end.outcome, reason: end.reason };
    }
    default:
      // Publishing refuses plans with steps this engine cannot run (engine-support.ts).
      throw ApplicationFailure.nonRetryable(`This engine cannot run "${step.type}" steps`, 'UnsupportedStep');
  }
}

/**
 * Runs one compiled playbook for one account, step by step, for as long as it takes (days to
 * months). The plan travels in the input, so the run keeps the version it started on.
 */
export async function thinPathRun(input: PlaybookRunInput): Promise<PlaybookRunResult> {
  const ctx: RunContext = {
    input,
    state: { status: 'running', currentStepId: null, pendingApprovalId: null, path: [] },
    decisions: new Map(),
    approval: null,
    cancel: null,
  };
  // Everything the run does happens in this scope, so a person's cancellation stops any step.
  const steps = new CancellationScope();
  setHandler(cancelRunSignal, (request) => {
    if (ctx.cancel || ctx.state.status !== 'running') return;
    ctx.cancel = request;
    steps.cancel();
  });
  setHandler(approvalDecisionSignal, (decision) => void ctx.decisions.set(decision.approvalId, decision));
  setHandler(
    decideApprovalUpdate,
    (decision) => {
      ctx.decisions.set(decision.approvalId, decision);
      return { accepted: true as const };
    },
    {
      validator: (decision) => {
        if (ctx.state.pendingApprovalId !== decision.approvalId) throw new Error(`This run is not waiting for approval ${decision.approvalId}`);
        if (ctx.decisions.has(decision.approvalId)) throw new Error('This approval is already decided');
      },
    },
  );
  setHandler(runStateQuery, () => ({ ...ctx.state, path: [...ctx.state.path] }));

  const visits = new Map<string, number>();
  let outcome: { end: RunOutcome; reason: string } = { end: 'exited', reason: 'The playbook has no steps' };
  let current: StepRef | null = null;
  try {
    await steps.run(async () => {
      let stepId: string | null = input.plan.entryStepId;
      while (stepId !== null) {
        const step: PlanStep = input.plan.steps[stepId];
        const visit = visits.get(stepId) ?? 0;
        visits.set(stepId, visit + 1);
        ctx.state.currentStepId = stepId;
        ctx.state.path.push(stepId);
        const ref: StepRef = { runId: input.runId, stepId, visit };
        current = ref;

        const result = await runStep(ref, step, ctx);
        if ('end' in result) {
          await activities.recordStepCompleted({ ...ref, outcome: result.end, reason: result.reason, at: nowIso() });
          outcome = result;
          return;
        }
        await activities.recordStepCompleted({ ...ref, outcome: result.handle, reason: result.reason, at: nowIso() });
        const next = nextStepId(input.plan, stepId, result.handle);
        if (next === null) {
          outcome = { end: 'exited', reason: `Nothing is connected to the "${result.handle}" output of "${step.label}"` };
        }
        stepId = next;
      }
    });
  } catch (error) {
    if (!(isCancellation(error) && ctx.cancel)) throw error;
    const request: CancelRunRequest = ctx.cancel;
    const reason = `Cancelled by ${request.cancelledByName}: ${request.reason}`;
    const step = current as StepRef | null;
    // Cleanup must run although the scope was cancelled.
    await CancellationScope.nonCancellable(async () => {
      if (ctx.state.pendingApprovalId) await activities.cancelApproval({ approvalId: ctx.state.pendingApprovalId, reason });
      if (step) await activities.recordStepCompleted({ ...step, outcome: 'cancelled', reason, at: nowIso() });
    });
    ctx.state.pendingApprovalId = null;
    outcome = { end: 'cancelled', reason };
  }

  ctx.state.status = outcome.end;
  await activities.finishRun({ runId: input.runId, outcome: outcome.end, reason: outcome.reason, at: nowIso() });
  return { outcome: outcome.end, reason: outcome.reason, path: [...ctx.state.path] };
}
