// Workflow code: deterministic only. Each step's meaning comes from @cairn/playbook's semantics
// (the simulator calls the same functions); every side effect is an activity.
import {
  type ApprovalData,
  approvalDeadline,
  approvalReason,
  chooseBranch,
  type Condition,
  DAY_MS,
  describeCondition,
  explainCondition,
  durationMs,
  endOutcome,
  type EventMatch,
  evaluateCondition,
  eventMatches,
  type JoinArrival,
  milestoneStatus,
  type PlanStep,
  type TouchData,
  touchForSegment,
  triggerReason,
  waitSpan,
} from '@cairn/playbook';
import { ActivityFailure, ApplicationFailure, condition, patched } from '@temporalio/workflow';
import type { ActionContext, ApprovalAssignee, ProposedTouch, StepRef } from '../activities';
import type { ActiveStep, ApprovalDecision, CarriedWait } from '../definitions';
import { acts, local, webhookActivity } from './activities';
import type { EventWaiter, OpenTask, PendingApproval, RunContext, Thread } from './context';

export type StepResult =
  | { kind: 'leave'; handle: string; reason: string }
  | { kind: 'split'; tracks: Array<{ id: string; label: string }>; reason: string }
  | { kind: 'join'; arrival: JoinArrival }
  | { kind: 'end'; outcome: 'completed' | 'exited'; reason: string }
  /** A long wait hands the run to a new execution, which resumes it (history stays small). */
  | { kind: 'continue_as_new'; wait: CarriedWait };

export interface StepEnv {
  ctx: RunContext;
  thread: Thread;
  step: PlanStep;
  ref: StepRef;
}

/** Marks runs whose webhook steps write their record (a local activity) before calling out. */
export const WEBHOOK_RECORD_FIRST_PATCH = 'cairn-webhook-record-before-call';

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const leave = (handle: string, reason: string): StepResult => ({ kind: 'leave', handle, reason });
// Step data was validated by the compiler; each runner reads the fields its node type defines.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const dataOf = (step: PlanStep) => step.data as Record<string, any>;

function actionContext({ ctx, ref }: StepEnv, reason: string): ActionContext {
  return { ...ref, accountId: ctx.input.accountId, playbookVersionId: ctx.input.playbookVersionId, reason };
}

/** Writes the thread's step records not written yet, in one local activity. */
export async function flushRecords(ctx: RunContext, thread: Thread): Promise<void> {
  if (thread.pending.length === 0) return;
  const records = thread.pending.splice(0);
  await local.recordSteps({ runId: ctx.input.runId, records });
}

/**
 * The step starts (or its wait changes): it shows as active in the live state, and its record is
 * written now when it holds the run or acts on the world; steps that decide at once are written
 * with the next one.
 */
async function begin(env: StepEnv, status: 'started' | 'waiting', reason: string, details: Partial<Pick<ActiveStep, 'waitingFor' | 'until' | 'approvalId' | 'taskId'>> = {}, write = true): Promise<void> {
  const { ctx, thread, step, ref } = env;
  const key = `${ref.stepId}#${ref.visit}`;
  const since = ctx.active.get(key)?.since ?? iso();
  ctx.active.set(key, { stepId: ref.stepId, type: step.type, label: step.label, visit: ref.visit, since, waitingFor: details.waitingFor ?? null, until: details.until ?? null, ...details });
  thread.pending.push({ kind: 'started', ...ref, stepType: step.type, status, reason, at: iso() });
  if (write) await flushRecords(ctx, thread);
}

/** Re-reads the account (live data for branches, milestones and conditions) and checks exit criteria. */
export async function refreshFacts(ctx: RunContext): Promise<void> {
  ctx.setFacts(await local.loadAccountFacts({ accountId: ctx.input.accountId }));
  checkExitConditions(ctx);
}

export function checkExitConditions(ctx: RunContext): void {
  for (const c of ctx.plan.settings?.exitWhen ?? []) {
    if (c.when.on === 'condition' && evaluateCondition(c.when.condition, ctx.facts)) {
      ctx.stop({ outcome: c.outcome, reason: `Exit criterion "${c.label}" met: ${explainCondition(c.when.condition, ctx.facts)}` });
      return;
    }
  }
}

function addWaiter(ctx: RunContext, match: EventMatch): EventWaiter {
  const waiter: EventWaiter = { matches: (event) => eventMatches(match, event, ctx.facts), hit: null };
  ctx.waiters.add(waiter);
  return waiter;
}

function failureType(error: unknown): string | null {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure ? (error.cause.type ?? null) : null;
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure) return error.cause?.message ?? error.message;
  return error instanceof Error ? error.message : String(error);
}

function accountDates(ctx: RunContext): Record<string, number> {
  return Object.fromEntries(Object.entries(ctx.facts.account.dates).map(([k, v]) => [k, Date.parse(v)]));
}

type Held = { kind: 'done' } | { kind: 'due' } | { kind: 'roll'; deadlineMs: number | null };

/**
 * `condition(done, ms)` (no timeout when `ms` is null), which also wakes when the run should
 * continue as new in the middle of this wait. Without the wait-rollover patch it issues exactly
 * the commands `condition(done, ms)` does, so older histories replay.
 */
async function hold(env: StepEnv, done: () => boolean, ms: number | null): Promise<Held> {
  const { ctx, thread } = env;
  const startedAt = Date.now();
  const roll = () => ctx.mayContinueInWait(thread);
  const woke = ms === null ? (await condition(() => done() || roll()), true) : await condition(() => done() || roll(), ms);
  if (!woke) return { kind: 'due' };
  if (done()) return { kind: 'done' };
  return { kind: 'roll', deadlineMs: ms === null ? null : startedAt + ms };
}

/** The wait goes on in the next execution, with the same deadline; events from here on are kept for it. */
function handOver(env: StepEnv, deadlineMs: number | null): StepResult {
  const { ctx, ref } = env;
  const active = ctx.active.get(`${ref.stepId}#${ref.visit}`) as ActiveStep;
  ctx.leaving = true;
  return { kind: 'continue_as_new', wait: { stepId: ref.stepId, visit: ref.visit, active: { ...active }, deadlineMs } };
}

/** Time left until a carried deadline (at least 1 ms, so the timer still fires in order). */
const remaining = (deadlineMs: number) => Math.max(1, deadlineMs - Date.now());

async function runWait(env: StepEnv): Promise<StepResult> {
  const { ctx } = env;
  const d = dataOf(env.step);
  const resumed = ctx.takeResume(env.ref.stepId);
  const clock = () => ({ enrolledAtMs: ctx.enrolledAtMs, nowMs: Date.now(), dates: accountDates(ctx), timeZone: ctx.facts.account.timezone });
  if (d.mode !== 'until_date') {
    let what: string;
    let ms: number;
    if (resumed) {
      what = resumed.wait.active.waitingFor ?? 'the wait';
      ms = resumed.wait.deadlineMs === null ? 0 : remaining(resumed.wait.deadlineMs);
    } else {
      const span = waitSpan(d, clock());
      what = span.what;
      ms = span.ms ?? 0;
      await begin(env, 'waiting', `Waiting ${span.what}, until ${iso(Date.now() + ms)}`, { waitingFor: span.what, until: iso(Date.now() + ms) });
    }
    if (ms > 0) {
      const held = await hold(env, () => false, ms);
      if (held.kind === 'roll') return handOver(env, held.deadlineMs);
    }
    return leave('next', `Waited ${what}`);
  }
  // A wait on an account date follows the date: each re-read of the account recomputes it.
  let shown: string | undefined = resumed ? (resumed.wait.active.until ?? undefined) : undefined;
  for (;;) {
    const version = ctx.factsVersion;
    const span = waitSpan(d, clock());
    const until = span.ms === null ? null : iso(Date.now() + span.ms);
    if (until !== shown) {
      const moved = shown === undefined ? '' : ' (the date moved)';
      await begin(env, 'waiting', `Waiting ${span.what}${until ? `, until ${until}` : ''}${moved}`, { waitingFor: span.what, until });
      shown = until ?? undefined;
    }
    if (span.ms === 0) return leave('next', `Waited ${span.what}`);
    const held = await hold(env, () => ctx.factsVersion !== version, span.ms);
    // The next execution recomputes the deadline from the account, as every re-read does.
    if (held.kind === 'roll') return handOver(env, null);
    if (held.kind === 'due') return leave('next', `Waited ${span.what}`);
  }
}

async function runWaitFor(env: StepEnv): Promise<StepResult> {
  const { ctx } = env;
  const d = dataOf(env.step);
  if (d.for === 'event') {
    const waiter = addWaiter(ctx, d.event);
    // Taken with the waiter in place: an event that arrived while the run handed over counts.
    const resumed = ctx.takeResume(env.ref.stepId);
    for (const event of resumed?.held ?? []) if (!waiter.hit && waiter.matches(event)) waiter.hit = event;
    try {
      let timeoutMs: number;
      if (resumed) timeoutMs = remaining(resumed.wait.deadlineMs ?? Date.now());
      else {
        timeoutMs = durationMs(d.timeout);
        await begin(env, 'waiting', `Waiting up to ${d.timeout} for ${d.event.type}`, { waitingFor: d.event.type, until: iso(Date.now() + timeoutMs) });
      }
      const held = await hold(env, () => waiter.hit !== null, timeoutMs);
      if (held.kind === 'roll') return handOver(env, held.deadlineMs);
      if (held.kind === 'done' && waiter.hit) return leave('received', `${waiter.hit.type} received (${waiter.hit.occurredAt})`);
      return leave('timed_out', `No ${d.event.type} within ${d.timeout}`);
    } finally {
      ctx.waiters.delete(waiter);
    }
  }
  const cond = d.condition as Condition;
  const what = describeCondition(cond);
  const resumed = ctx.takeResume(env.ref.stepId);
  let timeoutMs: number;
  if (resumed) {
    // The account was re-read as the execution started; the condition is checked at once below.
    timeoutMs = remaining(resumed.wait.deadlineMs ?? Date.now());
  } else {
    timeoutMs = durationMs(d.timeout);
    const until = iso(Date.now() + timeoutMs);
    await refreshFacts(ctx);
    if (evaluateCondition(cond, ctx.facts)) return leave('received', `${explainCondition(cond, ctx.facts)} already holds`);
    await begin(env, 'waiting', `Waiting up to ${d.timeout} for ${what}`, { waitingFor: what, until });
  }
  const held = await hold(env, () => evaluateCondition(cond, ctx.facts), timeoutMs);
  if (held.kind === 'roll') return handOver(env, held.deadlineMs);
  return held.kind === 'done' ? leave('received', `${explainCondition(cond, ctx.facts)} holds`) : leave('timed_out', `${what} did not hold within ${d.timeout}`);
}

/** The touch an approval's `approved` output leads to, shown to the approver before it is sent. */
function proposedTouch(env: StepEnv): ProposedTouch | null {
  const nextId = env.step.next['approved'];
  const next = nextId ? env.ctx.plan.steps[nextId] : undefined;
  if (!next || next.type !== 'touch') return null;
  const touch = touchForSegment(next.data as TouchData, env.ctx.facts.account.segment);
  return { channel: touch.channel as ProposedTouch['channel'], to: touch.to, ...(touch.subject ? { subject: touch.subject } : {}), body: touch.body };
}

const RESOLUTION = { expired: 'expired', approved: 'auto_approved', rejected: 'auto_skipped' } as const;

async function runApproval(env: StepEnv): Promise<StepResult> {
  const { ctx, thread } = env;
  const d = dataOf(env.step) as ApprovalData;
  const openedAt = Date.now();
  const deadline = approvalDeadline(d);
  const deadlineAt = deadline ? openedAt + durationMs(deadline.after) : null;
  const opened = await acts.openApproval({
    ...env.ref,
    accountId: ctx.input.accountId,
    playbookVersionId: ctx.input.playbookVersionId,
    title: d.title,
    assignee: d.assignee as ApprovalAssignee,
    dueAt: deadlineAt === null ? null : iso(deadlineAt),
    proposedTouch: proposedTouch(env),
  });
  const pending: PendingApproval = { approvalId: opened.approvalId, assigneeId: opened.assigneeId ?? null, assigneeName: opened.assigneeName, decision: null, closing: false };
  ctx.approvals.set(pending.approvalId, pending);
  const waiting = () => `${pending.assigneeName ?? 'an approver'} to decide`;
  const details = () => ({ waitingFor: waiting(), until: deadlineAt === null ? null : iso(deadlineAt), approvalId: pending.approvalId });
  try {
    await begin(env, 'waiting', `Waiting for ${waiting()}${deadlineAt ? ` by ${iso(deadlineAt)}` : ''}`, details());
    const decided = () => pending.decision !== null;
    // The ladder: reminders and reassignment while the approval is open, in order.
    let level = 0;
    for (const rung of d.escalation) {
      if (rung.action !== 'notify_manager' && rung.action !== 'reassign_to_manager') continue;
      const at = openedAt + durationMs(rung.after);
      if (deadlineAt !== null && at >= deadlineAt) break;
      if (await condition(decided, Math.max(0, at - Date.now()))) break;
      level++;
      const reason = `No decision within ${rung.after}: ${rung.action === 'notify_manager' ? 'manager notified' : 'reassigned to the manager'}`;
      const escalated = await acts.escalateApproval({ ...actionContext(env, reason), approvalId: pending.approvalId, action: rung.action, level });
      pending.assigneeId = escalated.assigneeId;
      pending.assigneeName = escalated.assigneeName;
      await begin(env, 'waiting', `${escalated.summary}; waiting for ${waiting()}`, details());
    }
    if (!decided()) {
      if (deadline === null || deadlineAt === null) await condition(decided);
      else if (!(await condition(decided, Math.max(0, deadlineAt - Date.now())))) {
        // From here the run refuses decisions; one recorded just before wins (its Update was accepted).
        pending.closing = true;
        const status = await acts.resolveApproval({ approvalId: pending.approvalId, resolution: RESOLUTION[deadline.handle], reason: deadline.reason });
        if (!pending.decision) {
          const handle = status === 'approved' || status === 'rejected' || status === 'expired' ? status : deadline.handle;
          if (handle === 'approved') thread.approval = { approvalId: pending.approvalId, decidedByName: 'Cairn (auto-approved)' };
          return leave(handle, deadline.reason);
        }
      }
    }
    const decision = pending.decision as unknown as ApprovalDecision;
    if (decision.decision === 'approved') {
      thread.approval = { approvalId: decision.approvalId, decidedByName: decision.decidedByName, ...(decision.editedTouch ? { edited: decision.editedTouch } : {}) };
    }
    const edited = decision.editedTouch ? ' (edited the touch)' : '';
    return leave(decision.decision, approvalReason(decision.decision, decision.decidedByName, decision.note) + edited);
  } finally {
    ctx.approvals.delete(pending.approvalId);
  }
}

async function runTouch(env: StepEnv): Promise<StepResult> {
  const { ctx, thread, step } = env;
  const segment = ctx.facts.account.segment;
  const touch = touchForSegment(dataOf(step) as TouchData, segment);
  const approval = thread.approval;
  thread.approval = null;
  const subject = approval?.edited?.subject ?? touch.subject;
  const body = approval?.edited?.body ?? touch.body;
  const variant = touch.variant === null ? '' : ` (the ${segment} variant)`;
  const reason = `"${step.label}" of ${ctx.plan.name}${variant}, ${approval ? `approved by ${approval.decidedByName}` : 'reached without an approval step'}`;
  await begin(env, 'started', reason);
  try {
    if (touch.channel === 'email') {
      const sent = await acts.sendEmail({
        ...env.ref,
        accountId: ctx.input.accountId,
        playbookVersionId: ctx.input.playbookVersionId,
        touch: { channel: 'email', to: touch.to, subject: subject ?? step.label, body },
        approvalId: approval?.approvalId ?? null,
        reason,
      });
      return leave('next', `Email sent to ${sent.toAddress} (${touch.to})`);
    }
    const channel = touch.channel as 'call' | 'meeting' | 'in_app' | 'chat';
    const result = await acts.deliverTouch({ ...actionContext(env, reason), touch: { channel, to: touch.to, ...(subject ? { subject } : {}), body }, approvalId: approval?.approvalId ?? null });
    return leave('next', result.status === 'skipped' ? `Skipped: ${result.summary}` : result.summary);
  } catch (error) {
    // The account has nobody in that role: the touch is skipped, visibly, and the run goes on.
    if (failureType(error) === 'RecipientMissing') return leave('next', `Skipped: ${failureMessage(error)}`);
    throw error;
  }
}

async function runTask(env: StepEnv): Promise<StepResult> {
  const { ctx, step } = env;
  const d = dataOf(step);
  const now = Date.now();
  const dueMs = d.due.from === 'enrollment' ? Math.max(now, ctx.enrolledAtMs + d.due.days * DAY_MS) : now + d.due.days * DAY_MS;
  const owner = `${d.owner.side === 'ours' ? 'our' : 'the customer’s'} ${String(d.owner.role).replace(/_/g, ' ')}`;
  const reason = `"${d.title}" for ${owner}, due ${iso(dueMs)}`;
  const by = d.completion.by as 'person' | 'event' | 'condition';
  const opened = await acts.openTask({ ...actionContext(env, reason), title: d.title, owner: d.owner, completion: by, dueAt: iso(dueMs) });
  const task: OpenTask = { taskId: opened.taskId, assigneeId: opened.assigneeId, byPerson: by === 'person', completion: null };
  ctx.tasks.set(task.taskId, task);
  const waiter = by === 'event' ? addWaiter(ctx, d.completion.event) : null;
  const cond = by === 'condition' ? (d.completion.condition as Condition) : null;
  const what = by === 'person' ? `${opened.ownerName} to mark it done` : by === 'event' ? String(d.completion.event.type) : describeCondition(cond as Condition);
  const isDone = () => task.completion !== null || (waiter?.hit ?? null) !== null || (cond !== null && evaluateCondition(cond, ctx.facts));
  let keepOpen = false;
  try {
    if (cond) await refreshFacts(ctx);
    await begin(env, 'waiting', `${reason}: waiting for ${what}`, { waitingFor: what, until: iso(dueMs), taskId: task.taskId });
    let late = false;
    if (!(await condition(isDone, Math.max(0, dueMs - Date.now())))) {
      await acts.markTaskOverdue({ taskId: task.taskId, at: iso() });
      if (step.next['overdue']) {
        // The run moves on; a person may still mark the task done later.
        keepOpen = task.byPerson;
        return leave('overdue', `"${d.title}" not done by ${iso(dueMs)}`);
      }
      await begin(env, 'waiting', `"${d.title}" is overdue since ${iso(dueMs)}: still waiting for ${what}`, { waitingFor: what, until: null, taskId: task.taskId });
      await condition(isDone);
      late = true;
    }
    const how = task.completion
      ? `Marked done by ${task.completion.completedByName}${task.completion.note ? `: ${task.completion.note}` : ''}`
      : waiter?.hit
        ? `${waiter.hit.type} received`
        : `${what} holds`;
    if (!task.completion) await acts.closeTask({ taskId: task.taskId, status: 'done', reason: how, at: iso() });
    return leave('done', late ? `${how}, late` : how);
  } finally {
    if (waiter) ctx.waiters.delete(waiter);
    if (!keepOpen) ctx.tasks.delete(task.taskId);
  }
}

async function runMilestone(env: StepEnv): Promise<StepResult> {
  const { ctx, step } = env;
  const d = dataOf(step);
  await refreshFacts(ctx);
  const day = Math.round(((Date.now() - ctx.enrolledAtMs) / DAY_MS) * 10_000) / 10_000;
  const status = milestoneStatus(d as never, day, ctx.facts);
  const at = iso();
  ctx.facts.milestones[step.id] = status.status === 'missed' ? 'pending' : status.status;
  ctx.milestones.push({ stepId: step.id, name: d.name, targetDay: d.targetDay, status: status.status, day, at });
  await begin(env, 'started', status.reason, {}, false);
  await acts.recordMilestone({ ...actionContext(env, status.reason), name: d.name, targetDay: d.targetDay, status: status.status, day, at });
  return leave('next', status.reason);
}

async function runUpdateAccount(env: StepEnv): Promise<StepResult> {
  const { ctx } = env;
  const d = dataOf(env.step);
  const change = d.set === 'attribute' ? { attribute: String(d.attribute), value: d.value } : { attribute: 'lifecycle_stage', value: String(d.stage) };
  const reason = `Set ${change.attribute} to ${JSON.stringify(change.value)}`;
  await begin(env, 'started', reason, {}, false);
  const result = await acts.updateAccount({ ...actionContext(env, reason), change });
  // What the run knows follows what it wrote; exit criteria may now hold.
  ctx.facts.account.attributes[change.attribute] = change.value;
  ctx.factsVersion++;
  checkExitConditions(ctx);
  return leave('next', result.summary);
}

async function runWebhook(env: StepEnv): Promise<StepResult> {
  const { ctx, step } = env;
  const d = dataOf(step);
  const reason = `"${step.label}" of ${ctx.plan.name}: ${d.method} ${d.url}`;
  // Written before calling out, so a receiver that is down shows the step busy through its
  // retries. Runs that reached a webhook before this change wrote it with the next step instead.
  await begin(env, 'started', reason, {}, patched(WEBHOOK_RECORD_FIRST_PATCH));
  try {
    const result = await webhookActivity(d.retries)({ ...actionContext(env, reason), url: d.url, method: d.method, headers: d.headers ?? {}, ...(d.body ? { body: d.body } : {}), playbookKey: ctx.plan.key, maxAttempts: d.retries + 1 });
    return leave('next', result.summary);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const why = `Webhook failed after ${d.retries + 1} attempt(s): ${failureMessage(error)}`;
    if (step.next['failed']) return leave('failed', why);
    return { kind: 'end', outcome: 'exited', reason: `${why}; nothing is connected to its "failed" output` };
  }
}

async function runEnroll(env: StepEnv): Promise<StepResult> {
  const d = dataOf(env.step);
  const reason = `"${env.step.label}" of ${env.ctx.plan.name}: enroll in ${d.playbook}`;
  await begin(env, 'started', reason, {}, false);
  const result = await acts.enrollAccount({ ...actionContext(env, reason), playbookKey: d.playbook });
  return leave('next', result.summary);
}

/** Runs one step for one visit and says how it leaves. */
export async function runStep(env: StepEnv): Promise<StepResult> {
  const { step } = env;
  const d = dataOf(step);
  switch (step.type) {
    case 'trigger': {
      const reason = triggerReason(d);
      await begin(env, 'started', reason, {}, false);
      return leave('next', reason);
    }
    case 'wait':
      return runWait(env);
    case 'wait_for':
      return runWaitFor(env);
    case 'branch': {
      await refreshFacts(env.ctx);
      const chosen = chooseBranch(d as never, env.ctx.facts);
      await begin(env, 'started', chosen.reason, {}, false);
      return leave(chosen.handle, chosen.reason);
    }
    case 'touch':
      return runTouch(env);
    case 'task':
      return runTask(env);
    case 'approval':
      return runApproval(env);
    case 'milestone':
      return runMilestone(env);
    case 'update_account':
      return runUpdateAccount(env);
    case 'webhook':
      return runWebhook(env);
    case 'enroll':
      return runEnroll(env);
    case 'parallel': {
      const reason = `Split into ${d.tracks.map((t: { label: string }) => t.label).join(' and ')}`;
      await begin(env, 'started', reason, {}, false);
      return { kind: 'split', tracks: d.tracks, reason };
    }
    case 'join': {
      await begin(env, 'started', 'A track arrived', {}, false);
      return { kind: 'join', arrival: env.ctx.joins.arrive(step.id, d.mode ?? 'all', env.thread.tracks, `${step.id}:${env.ref.visit}`) };
    }
    case 'end': {
      const end = endOutcome(d);
      await begin(env, 'started', end.reason, {}, false);
      return { kind: 'end', ...end };
    }
    default:
      throw ApplicationFailure.nonRetryable(`This engine does not know "${step.type}" steps`, 'UnknownStep');
  }
}
