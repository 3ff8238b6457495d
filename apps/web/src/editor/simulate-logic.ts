import type { Account } from '@cairn/contracts';
import { type AccountSnapshot, accountSnapshotOf, accountSnapshotSchema, type ExecutablePlan, type SimulationInput, type SimulationResult, simulationInputSchema } from '@cairn/playbook';
import type { z } from 'zod';
import type { RunOverlay, StepState } from '../canvas/to-flow';

/** What conditions read about an account from the API: the engine's own mapping (`accountSnapshotOf`). */
export function snapshotOfAccount(account: Account): AccountSnapshot {
  return accountSnapshotOf({
    name: account.name,
    segment: account.segment.key,
    timezone: account.timezone,
    attributes: account.attributes,
    metrics: account.metrics,
    roles: account.stakeholders.filter((s) => s.status === 'active').map((s) => s.role),
    healthStatus: account.health?.status ?? null,
    healthScore: account.health?.score ?? null,
  });
}

/** The sample a simulation starts from, to edit. */
export const SAMPLE_ACCOUNT: AccountSnapshot = {
  name: 'Sample account',
  segment: 'high-touch',
  attributes: { arr: 120000, plan: 'enterprise', health: 'green', health_score: 82 },
  metrics: { weekly_active_users: 4, active_user_ratio: 0.3 },
  roles: ['champion', 'sponsor', 'admin'],
  dates: { renewal_date: '2026-09-01' },
  timezone: 'UTC',
};

export const sampleText = (account: AccountSnapshot) => JSON.stringify(account, null, 2);

/** Zod issues as "field.path: message", the path as the input names it. */
export function issuesOf(error: z.ZodError, prefix: Array<string | number> = []): string[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path].map(String).join('.');
    return path ? `${path}: ${i.message}` : i.message;
  });
}

/** An event as the form holds it: text inputs. */
export interface EventRow {
  type: string;
  day: string;
  /** JSON object: the event's fields (`event.*` in filters). */
  data: string;
  /** JSON object: what it changes (`{"metric.weekly_active_users": 15}`). */
  set: string;
}

/** Per approval step: the decision and after how many days. */
export type DecisionRows = Record<string, { decision: 'approved' | 'rejected' | 'none'; afterDays: string }>;
/** Per task a person completes: after how many days it is marked done (blank: never). */
export type TaskRows = Record<string, string>;

const parseObject = (text: string, where: string, problems: string[]): unknown => {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    problems.push(`${where}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
};

/**
 * The simulator's input from the form: the account JSON, the events and the decisions, checked
 * with the simulator's own schema; every problem is named by its field path
 * (`account.dates.renewal_date: Invalid ISO date`, `events.0.day: …`).
 */
export function simulationInputOf(accountText: string, events: EventRow[], decisions: DecisionRows, tasks: TaskRows = {}): { ok: true; input: SimulationInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const account = parseObject(accountText, 'account', problems);
  if (account !== undefined) {
    const checked = accountSnapshotSchema.safeParse(account);
    if (!checked.success) problems.push(...issuesOf(checked.error, ['account']));
  }
  const raw = {
    account,
    events: events.map((e, i) => ({
      type: e.type.trim(),
      day: e.day.trim() === '' ? Number.NaN : Number(e.day),
      data: parseObject(e.data, `events.${i}.data`, problems),
      set: parseObject(e.set, `events.${i}.set`, problems),
    })),
    decisions: Object.fromEntries(Object.entries(decisions).map(([id, d]) => [id, { decision: d.decision, afterDays: d.afterDays.trim() === '' ? 0 : Number(d.afterDays) }])),
    tasks: Object.fromEntries(Object.entries(tasks).map(([id, days]) => [id, { doneAfterDays: days.trim() === '' ? null : Number(days) }])),
  };
  if (problems.length) return { ok: false, problems };
  const checked = simulationInputSchema.safeParse(raw);
  if (!checked.success) return { ok: false, problems: issuesOf(checked.error) };
  return { ok: true, input: checked.data };
}

/** The approvals of a plan, in step order: what a simulation may decide. */
export const approvalSteps = (plan: ExecutablePlan) =>
  Object.values(plan.steps)
    .filter((s) => s.type === 'approval')
    .map((s) => ({ id: s.id, label: s.label }));

/** The tasks of a plan a person marks done: when, a simulation may say. */
export const personTasks = (plan: ExecutablePlan) =>
  Object.values(plan.steps)
    .filter((s) => s.type === 'task' && (s.data as { completion?: { by?: string } }).completion?.by === 'person')
    .map((s) => ({ id: s.id, label: s.label }));

/**
 * The simulated path as the canvas draws a run: every step it passed done (with the output it took),
 * a step it stops on waiting, the rest skipped.
 */
export function overlayOfSimulation(plan: ExecutablePlan, result: SimulationResult): RunOverlay {
  const states: Record<string, StepState> = {};
  const outcomes: Record<string, string | null> = {};
  for (const id of Object.keys(plan.steps)) states[id] = 'skipped';
  for (const e of result.entries) {
    if (e.what === 'took' || (e.what === 'fired' && e.stepType === 'end')) {
      states[e.stepId] = 'done';
      // A split (or a loop) leaving by several outputs: each of them was taken.
      if (e.handle) outcomes[e.stepId] = e.stepId in outcomes && outcomes[e.stepId] !== e.handle ? null : e.handle;
    } else if (states[e.stepId] === 'skipped') states[e.stepId] = 'waiting';
  }
  return { states, outcomes };
}

// Canvas nodes and edges with the overlay's class, derived once per object and class: unchanged
// nodes keep their object, so React Flow re-renders only those whose state changes.
const derived = new WeakMap<object, Map<string, object>>();
function withClass<T extends { className?: string }>(item: T, extra: string): T {
  if (!extra) return item;
  const byClass = derived.get(item) ?? new Map<string, object>();
  derived.set(item, byClass);
  let next = byClass.get(extra) as T | undefined;
  if (!next) {
    next = { ...item, className: [item.className, extra].filter(Boolean).join(' ') };
    byClass.set(extra, next);
  }
  return next;
}

/** The editor's nodes and edges with a simulated path drawn on them (as they are when there is none). */
export function drawSimulation<N extends { id: string; className?: string }, E extends { source: string; target: string; sourceHandle?: string | null; className?: string }>(
  nodes: N[],
  edges: E[],
  overlay: RunOverlay | null,
): { nodes: N[]; edges: E[] } {
  if (!overlay) return { nodes, edges };
  const { states, outcomes } = overlay;
  return {
    nodes: nodes.map((n) => withClass(n, states[n.id] ? `sim-${states[n.id]}` : '')),
    edges: edges.map((e) => {
      const outcome = outcomes[e.source];
      const taken = states[e.source] === 'done' && states[e.target] !== undefined && states[e.target] !== 'skipped' && (outcome == null || outcome === (e.sourceHandle ?? 'next'));
      return withClass(e, taken ? 'is-taken' : '');
    }),
  };
}

const MILESTONE_WORDS: Record<string, string> = { reached_on_time: 'on time', reached_late: 'late', missed: 'not reached' };
export const milestoneWords = (status: string) => MILESTONE_WORDS[status] ?? status;

/** A day since enrollment as the path lists it: whole days plain, else to the hour. */
export function dayLabel(day: number): string {
  if (Number.isInteger(day)) return `day ${day}`;
  const whole = Math.floor(day);
  const hours = Math.round((day - whole) * 24);
  return hours === 24 ? `day ${whole + 1}` : `day ${whole} +${hours}h`;
}
