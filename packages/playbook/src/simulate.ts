import { z } from 'zod';
import type { Condition, EventMatch } from './conditions';
import { durationMs } from './duration';
import type { ExitCriterion } from './document';
import { type ApprovalData, approvalDeadline } from './nodes/approval';
import type { TouchData } from './nodes/touch';
import type { ExecutablePlan, PlanStep } from './plan';
import { renderTemplate } from './template';
import { describeCondition, evaluateCondition, eventMatches, explainCondition } from './semantics/conditions';
import { type AccountSnapshot, accountSnapshotSchema, type Facts } from './semantics/facts';
import { incomingCounts, JoinBook, trackTag } from './semantics/joins';
import { approvalReason, chooseBranch, DAY_MS, endOutcome, milestoneStatus, touchForSegment, triggerReason, waitSpan } from './semantics/steps';

/** Something that happens to the account during a simulation, on a day since enrollment. */
export const simulatedEventSchema = z
  .object({
    day: z.number().min(0),
    type: z.string().min(1),
    data: z.record(z.string(), z.unknown()).default({}),
    /** What the event changes: `{ "metric.weekly_active_users": 12, "role.champion": false, "segment": "high-touch" }`. */
    set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  })
  .strict();

export const simulationInputSchema = z
  .object({
    account: accountSnapshotSchema.default(accountSnapshotSchema.parse({})),
    events: z.array(simulatedEventSchema).default([]),
    /** Per approval step: the decision and how many days after it opens. Default: approved at once. */
    decisions: z.record(z.string(), z.object({ decision: z.enum(['approved', 'rejected', 'none']), afterDays: z.number().min(0).default(0) }).strict()).default({}),
    /** Per task completed by a person: days after it opens (default at once); `null`: never. */
    tasks: z.record(z.string(), z.object({ doneAfterDays: z.number().min(0).nullable() }).strict()).default({}),
    /** Stop after this many days. */
    horizonDays: z.number().min(1).max(3650).default(730),
    /** When the account is enrolled (a trigger on an account date enrolls at that date instead). */
    startAt: z.iso.datetime({ offset: true }).default('2026-01-05T09:00:00.000Z'),
  })
  .strict();
export type SimulationInput = z.input<typeof simulationInputSchema>;
export type SimulatedEvent = z.output<typeof simulatedEventSchema>;

export interface SimulationEntry {
  /** Days since enrollment, to the minute. */
  day: number;
  stepId: string;
  stepType: string;
  label: string;
  /** `fired`: the step did its work; `took`: it left through `handle`; `waiting`: it holds the run. */
  what: 'fired' | 'took' | 'waiting';
  handle?: string;
  reason: string;
}

export interface SimulationResult {
  outcome: 'completed' | 'exited' | 'running';
  reason: string;
  endedOnDay: number | null;
  entries: SimulationEntry[];
  milestones: Array<{ stepId: string; name: string; targetDay: number; status: string; day: number }>;
}

interface Token {
  stepId: string;
  atMs: number;
  seq: number;
  /** Set when the step already decided how it leaves, at `atMs` (a wait ending, a decision arriving). */
  leave?: { handle: string; reason: string };
  /** The parallel tracks this token is on, innermost last: `<parallel step id>/<track id>`. */
  tracks: string[];
}

/** Plain-data copy (the language runs where structuredClone may not exist). */
const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const round = (ms: number) => Math.round((ms / DAY_MS) * 10_000) / 10_000;


/** Applies an event's `set` to the account snapshot. */
function applyEvent(account: AccountSnapshot, event: SimulatedEvent): void {
  for (const [path, value] of Object.entries(event.set)) {
    const [root, ...rest] = path.split('.');
    const name = rest.join('.');
    if (root === 'metric' && typeof value === 'number') account.metrics[name] = value;
    else if (root === 'account') account.attributes[name] = value;
    else if (root === 'segment' && typeof value === 'string') account.segment = value;
    else if (root === 'role') account.roles = value ? [...new Set([...account.roles, name])] : account.roles.filter((r) => r !== name);
  }
}

/**
 * What would fire, when and why, for one account: a run of the plan on a virtual clock, using
 * the engine's own step semantics (`semantics/steps.ts`). Pure and deterministic.
 */
export function simulate(plan: ExecutablePlan, input: SimulationInput = {}): SimulationResult {
  const options = simulationInputSchema.parse(input);
  const account: AccountSnapshot = cloneJson(options.account);
  const facts: Facts = { account, steps: {}, milestones: {} };
  const events = [...options.events].sort((a, b) => a.day - b.day);
  const dates = Object.fromEntries(Object.entries(account.dates).map(([k, v]) => [k, Date.parse(v)]));
  // Enrollment is day 0; for an account-date trigger it sits at that date's offset.
  const trigger = plan.steps[plan.entryStepId]?.data as Record<string, any>;
  const enrolledAtMs = trigger?.on === 'account_date' && dates[trigger.field] !== undefined ? dates[trigger.field] + trigger.offsetDays * DAY_MS : Date.parse(options.startAt);
  const dayOf = (ms: number) => round(ms - enrolledAtMs);
  const atDay = (day: number) => enrolledAtMs + day * DAY_MS;

  const entries: SimulationEntry[] = [];
  const milestones: SimulationResult['milestones'] = [];
  const joins = new JoinBook(incomingCounts(plan));
  const visits = new Map<string, number>();
  const queue: Token[] = [{ stepId: plan.entryStepId, atMs: enrolledAtMs, seq: 0, tracks: [] }];
  let tracks: string[] = [];
  let seq = 1;
  let applied = 0;
  let result: Pick<SimulationResult, 'outcome' | 'reason' | 'endedOnDay'> | null = null;
  const horizonMs = atDay(options.horizonDays);

  const log = (step: PlanStep, atMs: number, what: SimulationEntry['what'], reason: string, handle?: string) =>
    entries.push({ day: dayOf(atMs), stepId: step.id, stepType: step.type, label: step.label, what, reason, ...(handle ? { handle } : {}) });
  const leave = (step: PlanStep, atMs: number, handle: string, reason: string) => {
    log(step, atMs, 'took', reason, handle);
    facts.steps[step.id] = handle;
    const next = step.next[handle];
    if (next) queue.push({ stepId: next, atMs, seq: seq++, tracks });
    else if (!result && queue.length === 0) result = { outcome: 'exited', reason: `Nothing is connected to the "${handle}" output of "${step.label}"`, endedOnDay: dayOf(atMs) };
  };
  /** Leaves later: the step holds the run until `atMs`, while other tracks go on. */
  const leaveAt = (step: PlanStep, atMs: number, handle: string, reason: string) => queue.push({ stepId: step.id, atMs, seq: seq++, leave: { handle, reason }, tracks });
  /** Applies the events up to `untilMs`; returns an exit if one of them (or the facts they set) meets an exit criterion. */
  const advanceTo = (untilMs: number): { reason: string; outcome: 'completed' | 'exited'; atMs: number } | null => {
    while (applied < events.length && atDay(events[applied].day) <= untilMs) {
      const event = events[applied++];
      applyEvent(account, event);
      const exit = plan.settings?.exitWhen?.find((c: ExitCriterion) =>
        c.when.on === 'event' ? eventMatches(c.when.event, event, facts) : evaluateCondition(c.when.condition, facts),
      );
      if (exit) return { reason: `Exit criterion "${exit.label}" met by ${event.type} on day ${event.day}`, outcome: exit.outcome, atMs: atDay(event.day) };
    }
    return null;
  };
  /** The first time in [fromMs, toMs] an event matches or a condition holds, else null. */
  const firstMatch = (fromMs: number, toMs: number, match: { event?: EventMatch; condition?: Condition }): { atMs: number; why: string } | null => {
    if (match.condition && evaluateCondition(match.condition, facts)) return { atMs: fromMs, why: `${explainCondition(match.condition, facts)} already holds` };
    const probe: Facts = { ...facts, account: cloneJson(account) };
    for (const event of events) {
      const at = atDay(event.day);
      if (at < fromMs || at > toMs) continue;
      applyEvent(probe.account, event);
      probe.nowMs = at;
      if (match.event && eventMatches(match.event, event, probe)) return { atMs: at, why: `${event.type} on day ${event.day}` };
      if (match.condition && evaluateCondition(match.condition, probe)) return { atMs: at, why: `${explainCondition(match.condition, probe)} holds after ${event.type} on day ${event.day}` };
    }
    return null;
  };

  for (let guard = 0; queue.length && !result && guard < 100_000; guard++) {
    queue.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    const token = queue.shift() as Token;
    facts.nowMs = token.atMs;
    if (token.atMs > horizonMs) {
      queue.unshift(token);
      break;
    }
    const exit = advanceTo(token.atMs);
    if (exit) {
      result = { outcome: exit.outcome, reason: exit.reason, endedOnDay: dayOf(exit.atMs) };
      break;
    }
    tracks = token.tracks;
    const step = plan.steps[token.stepId];
    const d = step.data as Record<string, any>;
    const now = token.atMs;
    const day = dayOf(now);
    if (token.leave) {
      leave(step, now, token.leave.handle, token.leave.reason);
      continue;
    }
    switch (step.type) {
      case 'trigger':
        leave(step, now, 'next', triggerReason(d));
        break;
      case 'wait': {
        const { ms, what } = waitSpan(d, { enrolledAtMs, nowMs: now, dates, timeZone: account.timezone });
        if (ms === null) {
          log(step, now, 'waiting', `Waits ${what}: the run would wait here indefinitely`);
          break;
        }
        log(step, now, 'waiting', `Waiting ${what}`);
        leaveAt(step, now + ms, 'next', `Waited ${what}`);
        break;
      }
      case 'wait_for': {
        const timeout = durationMs(d.timeout);
        const hit = firstMatch(now, now + timeout, d.for === 'event' ? { event: d.event } : { condition: d.condition });
        log(step, now, 'waiting', `Waiting up to ${d.timeout} for ${d.for === 'event' ? d.event.type : describeCondition(d.condition)}`);
        if (hit) leaveAt(step, hit.atMs, 'received', hit.why);
        else leaveAt(step, now + timeout, 'timed_out', `Nothing within ${d.timeout}`);
        break;
      }
      case 'branch': {
        const { handle, reason } = chooseBranch(d as never, facts);
        leave(step, now, handle, reason);
        break;
      }
      case 'touch': {
        const touch = touchForSegment(d as TouchData, account.segment);
        const why = touch.variant === null ? '' : ` (variant for segment ${account.segment})`;
        const subject = touch.subject ? `: ${renderTemplate(touch.subject, { account: { name: account.name } })}` : '';
        log(step, now, 'fired', `${touch.channel} to ${touch.to}${subject}${why}`);
        leave(step, now, 'next', `${touch.channel} sent`);
        break;
      }
      case 'task': {
        const dueMs = d.due.from === 'enrollment' ? Math.max(now, atDay(d.due.days)) : now + d.due.days * DAY_MS;
        log(step, now, 'fired', `Task for ${d.owner.side === 'ours' ? 'our' : 'the customer’s'} ${d.owner.role}: ${d.title} (due day ${dayOf(dueMs)})`);
        let doneAt: { atMs: number; why: string } | null = null;
        if (d.completion.by === 'person') {
          const after = options.tasks[step.id]?.doneAfterDays;
          doneAt = after === null ? null : { atMs: now + (after ?? 0) * DAY_MS, why: 'Marked done' };
        } else {
          doneAt = firstMatch(now, Number.MAX_SAFE_INTEGER, d.completion.by === 'event' ? { event: d.completion.event } : { condition: d.completion.condition });
        }
        if (doneAt && doneAt.atMs <= dueMs) leaveAt(step, doneAt.atMs, 'done', doneAt.why);
        else if (step.next.overdue) leaveAt(step, dueMs, 'overdue', `Not done by day ${dayOf(dueMs)}`);
        else if (doneAt) leaveAt(step, doneAt.atMs, 'done', `${doneAt.why}, late`);
        else log(step, now, 'waiting', 'Never done: the run would wait here indefinitely');
        break;
      }
      case 'approval': {
        const plan_ = options.decisions[step.id] ?? { decision: 'approved' as const, afterDays: 0 };
        const slaMs = d.sla ? durationMs(d.sla) : null;
        const deadline = approvalDeadline(d as ApprovalData);
        log(step, now, 'waiting', `Approval opened: ${renderTemplate(d.title, { account: { name: account.name } })}`);
        if (plan_.decision !== 'none' && (slaMs === null || plan_.afterDays * DAY_MS <= slaMs)) {
          leaveAt(step, now + plan_.afterDays * DAY_MS, plan_.decision, approvalReason(plan_.decision, 'the approver (simulated)'));
        } else if (deadline) leaveAt(step, now + durationMs(deadline.after), deadline.handle, deadline.reason);
        else log(step, now, 'waiting', 'No decision and no deadline: the run would wait here indefinitely');
        break;
      }
      case 'milestone': {
        const status = milestoneStatus(d as never, day, facts);
        facts.milestones[step.id] = status.status === 'missed' ? 'pending' : status.status;
        milestones.push({ stepId: step.id, name: d.name, targetDay: d.targetDay, status: status.status, day });
        leave(step, now, 'next', status.reason);
        break;
      }
      case 'update_account':
        if (d.set === 'attribute') account.attributes[d.attribute] = d.value;
        else account.attributes.lifecycle_stage = d.stage;
        leave(step, now, 'next', d.set === 'attribute' ? `Set ${d.attribute} to ${JSON.stringify(d.value)}` : `Lifecycle stage set to ${d.stage}`);
        break;
      case 'webhook':
        log(step, now, 'fired', `${d.method} ${d.url}`);
        leave(step, now, 'next', 'Answered (simulated)');
        break;
      case 'parallel': {
        log(step, now, 'fired', `Split into ${d.tracks.map((t: { label: string }) => t.label).join(' and ')}`);
        const visit = visits.get(step.id) ?? 0;
        visits.set(step.id, visit + 1);
        joins.split(step.id, visit, d.tracks.length);
        for (const track of d.tracks) {
          tracks = [...token.tracks, trackTag(step.id, visit, track.id)];
          leave(step, now, track.id, `Track "${track.label}" starts`);
        }
        break;
      }
      case 'join': {
        const arrival = joins.arrive(step.id, d.mode, token.tracks, String(token.seq));
        if (arrival.kind === 'release') {
          tracks = arrival.tracks;
          leave(step, now, 'next', arrival.reason);
        } else if (arrival.kind === 'wait') log(step, now, 'waiting', arrival.reason);
        break;
      }
      case 'enroll':
        log(step, now, 'fired', `Would enroll the account in "${d.playbook}"`);
        leave(step, now, 'next', 'Enrolled');
        break;
      case 'end': {
        const end = endOutcome(d);
        log(step, now, 'fired', end.reason);
        result = { outcome: end.outcome, reason: end.reason, endedOnDay: day };
        break;
      }
    }
  }
  const outcome = result ?? { outcome: 'running' as const, reason: queue.length ? `Still running at the ${options.horizonDays}-day horizon` : 'Waiting indefinitely', endedOnDay: null };
  return { ...outcome, entries, milestones };
}
