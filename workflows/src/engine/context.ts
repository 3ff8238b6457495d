import { type AccountSnapshot, type ExecutablePlan, type Facts, incomingCounts, JoinBook } from '@cairn/playbook';
import { workflowInfo } from '@temporalio/workflow';
import type { AccountFacts, StepRecord } from '../activities';
import type {
  AccountEvent,
  ActiveStep,
  ApprovalDecision,
  ApprovedTouch,
  CancelRunRequest,
  CarriedState,
  CarriedWait,
  DoneStep,
  MilestoneState,
  PlaybookRunInput,
  RunOutcome,
  RunState,
  TaskCompletion,
} from '../definitions';

/** How much recent history the workflow keeps in memory (and carries across continue-as-new). */
export const KEEP_RECENT = 200;

/**
 * History events after which a single-track run continues as new in the middle of a long wait
 * (each account change or event it receives there adds about five). Temporal's own
 * `continueAsNewSuggested` also counts; this keeps every execution small, far below the
 * 51,200-event limit, whatever the API sends to a run that waits for 90 days.
 */
export const WAIT_HISTORY_LIMIT = 1_000;

/** An approval the run waits for: who may decide, and the decision once it arrives. */
export interface PendingApproval {
  approvalId: string;
  assigneeId: string | null;
  assigneeName: string | null;
  decision: ApprovalDecision | null;
  /** Set just before the run closes it without a person: later decisions are refused. */
  closing: boolean;
}

/** A task the run opened and still accepts a completion for. */
export interface OpenTask {
  taskId: string;
  assigneeId: string | null;
  byPerson: boolean;
  completion: TaskCompletion | null;
}

/** A step waiting for an event; the signal handler fills `hit` when one matches. */
export interface EventWaiter {
  matches(event: AccountEvent): boolean;
  hit: AccountEvent | null;
}

export interface RunEnd {
  outcome: RunOutcome;
  reason: string;
}

/** One line of execution: the run itself, or a parallel track of it. */
export interface Thread {
  /** Tracks the thread is on, innermost last (`semantics/joins.ts`). */
  tracks: string[];
  /** The approval that allowed the next touch on this thread. */
  approval: ApprovedTouch | null;
  /** The step record not yet written (a step completed): it goes with the next one. */
  pending: StepRecord[];
}

export function snapshotFromFacts(facts: AccountFacts): AccountSnapshot {
  return { name: facts.name, segment: facts.segment, attributes: { ...facts.attributes }, metrics: { ...facts.metrics }, roles: [...facts.roles], dates: { ...facts.dates }, timezone: facts.timezone };
}

/** Everything a run knows while it runs: plain data, rebuilt from history on replay. */
export class RunContext {
  readonly plan: ExecutablePlan;
  readonly facts: Facts;
  /** Raised on each re-read of the account: waits on account dates and conditions re-check. */
  factsVersion = 0;
  /** Account changes announced by signal and not yet re-read. */
  changesRequested = 0;
  readonly enrolledAtMs: number;
  readonly visits: Map<string, number>;
  readonly active = new Map<string, ActiveStep>();
  readonly done: DoneStep[];
  readonly path: string[] = [];
  readonly milestones: MilestoneState[];
  readonly approvals = new Map<string, PendingApproval>();
  readonly tasks = new Map<string, OpenTask>();
  readonly waiters = new Set<EventWaiter>();
  /** Event ids received, oldest first (bounded): a second delivery of one is ignored. */
  private readonly seenEvents: Set<string>;
  readonly joins: JoinBook;
  threads = 0;
  end: RunEnd | null = null;
  cancel: CancelRunRequest | null = null;
  /** A thread asked to continue as new at this step. */
  continueAt: { stepId: string; thread: Thread; wait?: CarriedWait } | null = null;
  readonly generation: number;
  /** A thread failed in a way no output handles: the workflow fails with it, visibly. */
  failure: unknown = null;
  /** Records a thread could not write because the run ended under it (written with the end). */
  readonly unwritten: StepRecord[] = [];
  /** Whether this execution may continue as new inside a wait (the run-plan's patch). */
  waitRollover = false;
  /** The wait carried in, until its step takes it up again. */
  private resuming: CarriedWait | null;
  /** A wait decided to hand over to the next execution: events nobody waits for are kept for it. */
  leaving = false;
  /** Events received with no step waiting for them while the run hands over (out, or back in). */
  private held: AccountEvent[];

  constructor(
    readonly input: PlaybookRunInput,
    startTimeMs: number,
  ) {
    const carried: CarriedState | undefined = input.carried;
    this.plan = input.plan;
    this.enrolledAtMs = carried?.enrolledAtMs ?? startTimeMs;
    this.visits = new Map(Object.entries(carried?.visits ?? {}));
    this.done = [...(carried?.done ?? [])];
    this.milestones = [...(carried?.milestones ?? [])];
    this.generation = carried?.generation ?? 0;
    const milestoneFacts = Object.fromEntries(this.milestones.map((m) => [m.stepId, m.status === 'missed' ? 'pending' : m.status]));
    this.facts = {
      account: { name: 'Account', segment: '', attributes: {}, metrics: {}, roles: [], dates: {}, timezone: 'UTC' },
      steps: { ...(carried?.outcomes ?? {}) },
      milestones: milestoneFacts,
    };
    // Workflow time, read when a condition is evaluated (deterministic: Date.now() is replayed).
    Object.defineProperty(this.facts, 'nowMs', { get: () => Date.now(), enumerable: true });
    this.joins = new JoinBook(incomingCounts(input.plan));
    for (const t of carried?.openTasks ?? []) this.tasks.set(t.taskId, { ...t, completion: null });
    this.seenEvents = new Set(carried?.seenEventIds ?? []);
    this.resuming = carried?.waiting ?? null;
    // Shown (and closed, if the run ends before the step takes it up) as it was.
    if (this.resuming) this.active.set(`${this.resuming.stepId}#${this.resuming.visit}`, { ...this.resuming.active });
    this.held = [...(carried?.pendingEvents ?? [])];
  }

  /** Keeps an event no step took while the run is handing over; the resumed wait sees it. */
  holdIfHandingOver(event: AccountEvent): void {
    if (this.leaving || this.resuming) this.held.push(event);
  }

  /** The carried wait if `stepId`/`visit` is it: shown active again (not recorded again), with the events held for it. */
  takeResume(stepId: string): { wait: CarriedWait; held: AccountEvent[] } | null {
    const wait = this.resuming;
    if (!wait || wait.stepId !== stepId) return null;
    this.resuming = null;
    this.active.set(`${wait.stepId}#${wait.visit}`, { ...wait.active });
    return { wait, held: this.held.splice(0) };
  }

  /** The carried wait, if the run resumes inside one: its step and visit. */
  get resumingWait(): CarriedWait | null {
    return this.resuming;
  }

  /**
   * Whether a thread waiting in a long step may hand the run to a new execution now: history has
   * grown (Temporal suggests it, or past WAIT_HISTORY_LIMIT) and the whole run is this one thread.
   */
  mayContinueInWait(thread: Thread): boolean {
    if (!this.waitRollover || this.end || this.threads !== 1 || thread.tracks.length > 0 || this.joins.holdsArrivals() || this.approvals.size > 0) return false;
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= WAIT_HISTORY_LIMIT;
  }

  /** True the first time an event id arrives; false for a repeat delivery. */
  firstDelivery(eventId: string): boolean {
    if (this.seenEvents.has(eventId)) return false;
    this.seenEvents.add(eventId);
    if (this.seenEvents.size > KEEP_RECENT) this.seenEvents.delete(this.seenEvents.values().next().value as string);
    return true;
  }

  /** The carried wait's step: on the path again, with the visit it already took. */
  reenter(stepId: string): void {
    this.path.push(stepId);
    if (this.path.length > KEEP_RECENT) this.path.shift();
  }

  /** Takes the visit number for a step the run enters now (0 the first time). */
  enter(stepId: string): number {
    const visit = this.visits.get(stepId) ?? 0;
    this.visits.set(stepId, visit + 1);
    this.path.push(stepId);
    if (this.path.length > KEEP_RECENT) this.path.shift();
    return visit;
  }

  setFacts(facts: AccountFacts): void {
    this.facts.account = snapshotFromFacts(facts);
    this.factsVersion++;
  }

  finish(stepId: string, visit: number, outcome: string, reason: string, at: string): void {
    this.active.delete(`${stepId}#${visit}`);
    this.facts.steps[stepId] = outcome;
    this.done.push({ stepId, visit, outcome, reason, at });
    if (this.done.length > KEEP_RECENT) this.done.shift();
  }

  /** Set by the run: cancels every track when the run ends. */
  onStop: (() => void) | null = null;

  /** Ends the run (an end step, an exit criterion, a person); the first reason wins. */
  stop(end: RunEnd): void {
    if (this.end) return;
    this.end = end;
    this.onStop?.();
  }

  /** The live state clients query. */
  state(): RunState {
    const active = [...this.active.values()];
    const pending = [...this.approvals.values()].find((a) => !a.decision && !a.closing);
    return {
      status: this.end?.outcome ?? 'running',
      currentStepId: active[0]?.stepId ?? null,
      pendingApprovalId: pending?.approvalId ?? null,
      path: [...this.path],
      enrolledAt: new Date(this.enrolledAtMs).toISOString(),
      active: active.map((a) => ({ ...a })),
      done: this.done.map((d) => ({ ...d })),
      milestones: this.milestones.map((m) => ({ ...m })),
      generation: this.generation,
    };
  }

  /** What the next execution starts with (continue-as-new), inside `waiting` if a wait handed over. */
  carry(resumeAt: string, thread: Thread, waiting?: CarriedWait): CarriedState {
    return {
      enrolledAtMs: this.enrolledAtMs,
      resumeAt,
      visits: Object.fromEntries(this.visits),
      outcomes: { ...this.facts.steps },
      milestones: this.milestones.map((m) => ({ ...m })),
      done: this.done.slice(-50),
      approval: thread.approval,
      openTasks: [...this.tasks.values()].filter((t) => !t.completion).map((t) => ({ taskId: t.taskId, assigneeId: t.assigneeId, byPerson: t.byPerson })),
      generation: this.generation + 1,
      seenEventIds: [...this.seenEvents],
      ...(waiting ? { waiting, pendingEvents: [...this.held] } : {}),
    };
  }
}
