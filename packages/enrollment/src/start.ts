// The steps every enrollment shares, single or bulk: which version, may the account enter, and
// starting the workflow of a run row already inserted (removing the row again if it does not start).
// Internal to the package (not exported from index.ts).
import type { PreviousRunRow, Repositories } from '@cairn/db';
import { enrollmentDecision, type EnrollmentRefusal } from '@cairn/playbook';
import { type AccountEvent, accountEventSignal, PLAYBOOK_RUN_WORKFLOW, type PlaybookRunInput } from '@cairn/workflows';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { EnrollmentDeps, EnrollmentRequest } from './enroll';
import { EnrollmentNotFoundError } from './errors';
import { type CachedVersion, versionCacheFor } from './version-cache';

const DEFAULT_TEMPORAL_TIMEOUT_MS = 10_000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The playbook's latest version from the cache, or read once (its plan, not its document) and cached. */
export async function latestVersion(deps: EnrollmentDeps, db: Repositories, playbookId: string, latest: number): Promise<CachedVersion> {
  const cache = deps.versions ?? versionCacheFor(deps.dataSource);
  const hit = cache.get(playbookId, latest);
  if (hit) return hit;
  const row = await db.playbooks.findVersionForRun(playbookId, latest);
  if (!row) throw new Error(`playbook ${playbookId} has no version ${latest}`);
  const version = { id: row.id, version: Number(row.version), hash: row.hash, plan: row.plan };
  cache.set(playbookId, version);
  return version;
}

export type AdmissionDecision = { allowed: true } | { allowed: false; code: EnrollmentRefusal; reason: string; runId: string | null };

/**
 * Whether the account may start a run of this version now (`enrollmentDecision`: audience,
 * re-entry, one open run); a refusal because a run is open names that run.
 */
export function admission(version: CachedVersion, account: { segment: string | null; memberOf: readonly string[] }, previousRuns: readonly PreviousRunRow[], nowMs: number): AdmissionDecision {
  const open = previousRuns.find((r) => r.status === 'running');
  const decision = enrollmentDecision({
    reentry: version.plan.settings?.reentry ?? { policy: 'once' },
    audience: version.plan.audience ?? { segments: [] },
    accountSegment: account.segment,
    accountSegments: account.memberOf,
    previousRuns: previousRuns.map((r) => ({ startedAtMs: r.startedAt.getTime(), status: r.status })),
    running: open !== undefined,
    nowMs,
  });
  if (decision.allowed) return decision;
  return { ...decision, runId: decision.code === 'already_running' ? (open?.id ?? null) : null };
}

/** A run row inserted and committed, whose workflow is to start now. */
export interface RunToStart {
  runId: string;
  workflowId: string;
  playbookKey: string;
  version: CachedVersion;
  accountId: string;
  /** Deliver this event with the start (signal-with-start). */
  event?: AccountEvent;
}

export type StartOutcome =
  | { kind: 'started'; temporalRunId: string }
  /** Temporal has the workflow open already (the row was removed). */
  | { kind: 'already_running' }
  /** With an event: a run was open already and the event reached it (the row was removed). */
  | { kind: 'delivered'; startedBy: string | null };

/**
 * Starts the workflow of a run row (its id is per playbook key and account, so Temporal refuses a
 * second open run). If it does not start, the row is deleted again, after terminating the workflow
 * if the start reached Temporal after all, so nothing runs unrecorded; other errors are rethrown
 * after that clean-up.
 */
export async function startRun(deps: EnrollmentDeps, db: Repositories, run: RunToStart): Promise<StartOutcome> {
  const { runId, workflowId, version, event } = run;
  const input: PlaybookRunInput = { runId, playbookVersionId: version.id, accountId: run.accountId, plan: version.plan };
  const options = {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [input] as [PlaybookRunInput],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    memo: { runId, playbookKey: run.playbookKey, version: version.version },
  };
  try {
    if (event) {
      const handle = await temporalCall(deps, () =>
        deps.temporal.workflow.signalWithStart(PLAYBOOK_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'USE_EXISTING', signal: accountEventSignal, signalArgs: [event] }),
      );
      const startedBy = await memoRunId(deps, deps.temporal.workflow.getHandle(workflowId, handle.signaledRunId));
      if (startedBy !== runId) {
        // A run was open already (its row no longer `running`, or from before): the event reached it.
        await deleteRun(deps, db, runId);
        return { kind: 'delivered', startedBy };
      }
      return { kind: 'started', temporalRunId: handle.signaledRunId };
    }
    const handle = await temporalCall(deps, () => deps.temporal.workflow.start(PLAYBOOK_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'FAIL' }));
    return { kind: 'started', temporalRunId: handle.firstExecutionRunId };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      await deleteRun(deps, db, runId);
      return { kind: 'already_running' };
    }
    // The start may have reached Temporal even though the call failed (a timeout): stop the
    // workflow if it is ours, then remove the row, so nothing runs unrecorded.
    await terminateIfOurs(deps, workflowId, runId, error);
    await deleteRun(deps, db, runId);
    throw error;
  }
}

export async function memoRunId(deps: EnrollmentDeps, handle: WorkflowHandle): Promise<string | null> {
  const description = await temporalCall(deps, () => handle.describe());
  const memoRun = description.memo?.runId;
  return typeof memoRun === 'string' ? memoRun : null;
}

async function terminateIfOurs(deps: EnrollmentDeps, workflowId: string, runId: string, cause: unknown): Promise<void> {
  try {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    if ((await memoRunId(deps, handle)) !== runId) return;
    await temporalCall(deps, () => handle.terminate('The enrollment was rolled back'));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return;
    warn(deps, `Could not check for an orphan workflow ${workflowId} after a failed enrollment (${String(cause)}): ${String(error)}`);
  }
}

export async function deleteRun(deps: EnrollmentDeps, db: Repositories, runId: string | readonly string[]): Promise<void> {
  try {
    await db.runs.deleteUnstarted(runId);
  } catch (error) {
    warn(deps, `Could not remove run ${String(runId)} after its workflow did not start: ${String(error)}`);
    throw error;
  }
}

export function temporalCall<T>(deps: EnrollmentDeps, fn: () => Promise<T>): Promise<T> {
  return deps.temporal.connection.withDeadline(Date.now() + (deps.temporalTimeoutMs ?? DEFAULT_TEMPORAL_TIMEOUT_MS), fn);
}

export function warn(deps: EnrollmentDeps, message: string): void {
  (deps.warn ?? console.warn)(message);
}

export function playbookRef(req: Pick<EnrollmentRequest, 'playbookId' | 'playbookKey'>): { id: string } | { key: string } {
  if (req.playbookId !== undefined) {
    if (!UUID.test(req.playbookId)) throw new EnrollmentNotFoundError('Playbook', req.playbookId);
    return { id: req.playbookId };
  }
  if (req.playbookKey !== undefined) return { key: req.playbookKey };
  throw new TypeError('An enrollment needs playbookId or playbookKey');
}

export function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  return driver as { code?: string; constraint?: string };
}
