import type { ExecutablePlan } from '@cairn/playbook';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The task queue Cairn's workers poll, unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'cairn-playbooks';

/** Workflow type name, as clients start it. */
export const PLAYBOOK_RUN_WORKFLOW = 'playbookRun';

/** A schedule-triggered playbook's tick (workflow type), started by its Temporal Schedule. */
export const SCHEDULED_ENROLLMENT_WORKFLOW = 'scheduledEnrollment';
/** The daily pass that enrolls accounts whose trigger date has come (workflow type). */
export const ACCOUNT_DATE_TRIGGERS_WORKFLOW = 'accountDateTriggers';
/** The Temporal Schedule of the daily account-date pass (one per namespace; the worker creates it). */
export const ACCOUNT_DATE_SCHEDULE_ID = 'cairn:account-date-triggers';

/** The Temporal Schedule of a schedule-triggered playbook (created and kept in step on publish). */
export function playbookScheduleId(playbookKey: string): string {
  return `cairn:schedule:${playbookKey}`;
}

export interface ScheduledEnrollmentInput {
  playbookKey: string;
}

/**
 * One workflow id per (playbook key, account): while a run is open, Temporal itself refuses to
 * start a second one for the same customer; the playbook's re-entry policy decides later ones.
 */
export function playbookRunWorkflowId(playbookKey: string, accountId: string): string {
  return `cairn:playbook:${playbookKey}:account:${accountId}`;
}

export interface PlaybookRunInput {
  runId: string;
  playbookVersionId: string;
  accountId: string;
  /** The compiled version, frozen into the run's history: later edits never affect this run. */
  plan: ExecutablePlan;
  /** Set when the run continues as new: where it was and what it knew. */
  carried?: CarriedState;
}

/** What a run carries across continue-as-new (at a loop boundary, with one track active). */
export interface CarriedState {
  /** When the account was enrolled (the 30/60/90 axis keeps counting from it). */
  enrolledAtMs: number;
  /** The step the new execution starts at. */
  resumeAt: string;
  /** How many times each step was entered (the idempotency key's visit counter keeps counting). */
  visits: Record<string, number>;
  /** Outcome of each step run so far (what `step.<id>.outcome` conditions read). */
  outcomes: Record<string, string>;
  milestones: MilestoneState[];
  /** The most recent steps done (older ones are in the database). */
  done: DoneStep[];
  /** The approval that allowed the next touch, if the loop boundary sits between them. */
  approval: ApprovedTouch | null;
  /** Tasks a track left overdue: a person may still mark them done. */
  openTasks: Array<{ taskId: string; assigneeId: string | null; byPerson: boolean }>;
  /** Executions before this one. */
  generation: number;
  /** Ids of the most recent events the run received: one delivered twice (a retried ingest, a trigger and its route) counts once. */
  seenEventIds?: string[];
  /** The wait the run continued as new in the middle of (many messages during one long step): `resumeAt` is this step, entered already. */
  waiting?: CarriedWait;
  /** Events that arrived while the run was handing over, with no step waiting for them yet: the resumed wait sees them. */
  pendingEvents?: AccountEvent[];
}

/** A `wait` or `wait_for` step carried across continue-as-new: it resumes, not restarts. */
export interface CarriedWait {
  stepId: string;
  /** The visit already taken: the step is not entered (nor recorded) again. */
  visit: number;
  /** The step as the live state showed it (since when, what for, until when). */
  active: ActiveStep;
  /** When the wait ends on its own (epoch ms, workflow time); null for a wait that follows an account date (recomputed from the account) or has no end. */
  deadlineMs: number | null;
}

/** A stakeholder-facing touch a person approved (and possibly edited) for the next touch step. */
export interface ApprovedTouch {
  approvalId: string;
  decidedByName: string;
  edited?: { subject?: string; body?: string };
}

/** Roles of our people, as the API authenticated them. */
export type DeciderRole = 'csm' | 'cs_manager' | 'ops' | 'admin';

export interface ApprovalDecision {
  approvalId: string;
  decision: 'approved' | 'rejected';
  decidedById: string;
  decidedByName: string;
  /** Managers and admins may decide for the assignee; without a role only the assignee may. */
  decidedByRole?: DeciderRole;
  note?: string;
  /** Edit-then-approve: the touch goes out with these instead of the proposed subject and body. */
  editedTouch?: { subject?: string; body?: string };
}

export interface TaskCompletion {
  taskId: string;
  completedById: string;
  completedByName: string;
  completedByRole?: DeciderRole;
  note?: string;
}

/** A person hands a pending approval to someone else; the run then takes decisions from them. */
export interface ApprovalReassignment {
  approvalId: string;
  assigneeId: string;
  assigneeName: string;
  reassignedById: string;
  reassignedByName: string;
  reassignedByRole?: DeciderRole;
}

/** A person hands an open task to someone else; the run then takes its completion from them. */
export interface TaskReassignment {
  taskId: string;
  assigneeId: string;
  assigneeName: string;
  reassignedById: string;
  reassignedByName: string;
  reassignedByRole?: DeciderRole;
}

/** Something that happened to the account, delivered to its runs (and to event triggers, by signal-with-start). */
export interface AccountEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** The account's data changed (a date moved, a metric or the people map changed): re-read it. */
export interface AccountChanged {
  what: string;
}

export type RunOutcome = 'completed' | 'exited' | 'cancelled';

/** A step holding the run now, and what it waits for. */
export interface ActiveStep {
  stepId: string;
  type: string;
  label: string;
  visit: number;
  since: string;
  /** In words: "Casey Morgan to approve", "product.sso_configured", "renewal date − 90 days". */
  waitingFor: string | null;
  /** When the wait ends on its own (timer, SLA, timeout, due date), if it does. */
  until: string | null;
  approvalId?: string;
  taskId?: string;
}

export interface DoneStep {
  stepId: string;
  visit: number;
  outcome: string;
  reason: string;
  at: string;
}

export interface MilestoneState {
  stepId: string;
  name: string;
  targetDay: number;
  status: 'reached_on_time' | 'reached_late' | 'missed';
  day: number;
  at: string;
}

export interface RunState {
  status: 'running' | RunOutcome;
  /** The first active step (for clients that show one). */
  currentStepId: string | null;
  /** The first pending approval (for clients that show one). */
  pendingApprovalId: string | null;
  /** Step ids in the order the run entered them (most recent 200). */
  path: string[];
  enrolledAt?: string;
  active?: ActiveStep[];
  done?: DoneStep[];
  milestones?: MilestoneState[];
  /** Executions so far (continue-as-new). */
  generation?: number;
}

export interface PlaybookRunResult {
  outcome: RunOutcome;
  reason: string;
  path: string[];
}

/** A person stops the run: it ends at once, wherever it is, recording who and why. */
export interface CancelRunRequest {
  cancelledById: string;
  cancelledByName: string;
  reason: string;
}

/**
 * A decision on a pending approval, as an Update: its validator refuses a decision on an approval
 * the run is not waiting for, by someone not allowed, or a second one, before anything reaches
 * history, and the caller hears so at once.
 */
export const decideApprovalUpdate = defineUpdate<{ accepted: true }, [ApprovalDecision]>('decideApproval');

/** A person marks a task done, as an Update with the same kind of validator. */
export const completeTaskUpdate = defineUpdate<{ accepted: true }, [TaskCompletion]>('completeTask');

/**
 * Hands a pending approval (or an open task) to another person, as an Update: the validator refuses
 * one the run is not waiting for, one already decided, the same assignee again, or someone who is
 * neither the assignee nor a manager, ops or admin. It changes only what the run remembers (who may
 * decide), never the commands it issues, so runs already in flight replay unchanged.
 */
export const reassignApprovalUpdate = defineUpdate<{ accepted: true }, [ApprovalReassignment]>('reassignApproval');
export const reassignTaskUpdate = defineUpdate<{ accepted: true }, [TaskReassignment]>('reassignTask');

/** The same decision as a signal: how runs started before the Update existed still receive it. */
export const approvalDecisionSignal = defineSignal<[ApprovalDecision]>('approvalDecision');
export const accountEventSignal = defineSignal<[AccountEvent]>('accountEvent');
export const accountChangedSignal = defineSignal<[AccountChanged]>('accountChanged');
export const runStateQuery = defineQuery<RunState>('runState');
export const cancelRunSignal = defineSignal<[CancelRunRequest]>('cancelRun');
