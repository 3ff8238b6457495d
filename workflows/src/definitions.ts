import type { ExecutablePlan } from '@cairn/playbook';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** The task queue Cairn's workers poll, unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'cairn-playbooks';

/** Workflow type name, as clients start it. */
export const PLAYBOOK_RUN_WORKFLOW = 'playbookRun';

/**
 * One workflow id per (playbook, account): while a run is open, Temporal itself refuses to start
 * a second one for the same customer.
 */
export function playbookRunWorkflowId(playbookId: string, accountId: string): string {
  return `cairn:playbook:${playbookId}:account:${accountId}`;
}

export interface PlaybookRunInput {
  runId: string;
  playbookVersionId: string;
  accountId: string;
  /** The compiled version, frozen into the run's history: later edits never affect this run. */
  plan: ExecutablePlan;
}

export interface ApprovalDecision {
  approvalId: string;
  decision: 'approved' | 'rejected';
  decidedById: string;
  decidedByName: string;
  note?: string;
}

export type RunOutcome = 'completed' | 'exited' | 'cancelled';

export interface RunState {
  status: 'running' | RunOutcome;
  currentStepId: string | null;
  pendingApprovalId: string | null;
  /** Step ids in the order the run entered them. */
  path: string[];
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
 * A CSM's decision, as an Update: its validator refuses a decision on an approval the run is not
 * waiting for (or a second one) before anything is written to history, and the caller hears so at once.
 */
export const decideApprovalUpdate = defineUpdate<{ accepted: true }, [ApprovalDecision]>('decideApproval');

/** The same decision as a signal: how runs started before the Update existed still receive it. */
export const approvalDecisionSignal = defineSignal<[ApprovalDecision]>('approvalDecision');
export const runStateQuery = defineQuery<RunState>('runState');
export const cancelRunSignal = defineSignal<[CancelRunRequest]>('cancelRun');
