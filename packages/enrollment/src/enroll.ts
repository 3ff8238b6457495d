import { repositories } from '@cairn/db';
import { type AccountEvent, accountEventSignal, playbookRunWorkflowId } from '@cairn/workflows';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { EnrollmentNotFoundError } from './errors';
import { admission, latestVersion, pgError, playbookRef, startRun, temporalCall, UUID, warn } from './start';
import type { VersionCache } from './version-cache';

export interface EnrollmentDeps {
  dataSource: DataSource;
  temporal: Client;
  taskQueue: string;
  /** Latest published versions kept in process; default: one cache per data source. */
  versions?: VersionCache;
  /** How long each call to Temporal may take (default 10 s). */
  temporalTimeoutMs?: number;
  /** Where problems that do not fail the enrollment are reported (default console.warn). */
  warn?: (message: string) => void;
}

export interface EnrollmentRequest {
  accountId: string;
  /** The playbook by id or by key (one of them). */
  playbookId?: string;
  playbookKey?: string;
  /** Who enrolled the account: `api`, `event`, `run:<runId>`… */
  enrolledBy: string;
  reason?: string | null;
  /** Deliver this event with the start (signal-with-start); an open run receives it instead. */
  withEvent?: AccountEvent;
}

/** What the new run's row holds, for callers that answer with it (no re-read needed). */
export interface EnrolledRun {
  id: string;
  workflowId: string;
  temporalRunId: string;
  playbookId: string;
  playbookKey: string;
  playbookName: string;
  playbookVersionId: string;
  version: number;
  planHash: string;
  accountId: string;
  accountName: string;
  enrolledBy: string;
  reason: string | null;
  startedAt: Date;
}

export type SkipCode = 'already_running' | 'reentry' | 'audience' | 'no_version' | 'delivered_to_running';

export type EnrollmentResult =
  | { status: 'enrolled'; runId: string; workflowId: string; version: number; run: EnrolledRun }
  | { status: 'skipped'; code: SkipCode; reason: string; runId: string | null };

export const ALREADY_RUNNING = 'This playbook is already running for this account';
const DELIVERED = 'A run of this playbook is already open for this account; the event was delivered to it';

/**
 * Starts a run of a playbook's latest published version for an account, if its audience and
 * re-entry policy allow it and no run of it is open for the account.
 *
 * Round trips: one query (`RunsRepository.enrollmentSituation`) reads the playbook, its latest
 * version number, the account with its segment and the account's earlier runs of the playbook;
 * the version itself comes from the in-process cache. Then the run row is inserted (committed on
 * its own: the partial unique index `runs_one_active_per_account` admits one running run per
 * playbook and account, and the foreign key refuses an account deleted meanwhile), the workflow starts (its id is per playbook key and
 * account, so Temporal refuses a second open run too), and Temporal's run id is stored (not
 * awaited: nothing depends on it). If the
 * start fails the row is deleted again, after terminating the workflow if it did start after all;
 * so no transaction is held across the call to Temporal and no workflow runs without its row.
 *
 * With `withEvent` the start is a signal-with-start: when a run is already open for the playbook
 * and account the event reaches it instead, and the answer is `delivered_to_running`.
 */
export async function enrollAccount(deps: EnrollmentDeps, req: EnrollmentRequest): Promise<EnrollmentResult> {
  const ref = playbookRef(req);
  if (!UUID.test(req.accountId)) throw new EnrollmentNotFoundError('Account', req.accountId);
  const db = repositories(deps.dataSource.manager);
  const situation = await db.runs.enrollmentSituation(ref, req.accountId);
  if (!situation) throw new EnrollmentNotFoundError('Playbook', 'id' in ref ? ref.id : ref.key);
  const { playbook, account } = situation;
  if (!account) throw new EnrollmentNotFoundError('Account', req.accountId);
  if (playbook.latestVersion === null) {
    return { status: 'skipped', code: 'no_version', reason: `"${playbook.name}" has no published version yet; publish it before enrolling accounts`, runId: null };
  }
  const workflowId = playbookRunWorkflowId(playbook.key, account.id);
  const open = situation.previousRuns.find((r) => r.status === 'running');
  if (open && req.withEvent) return deliverToOpenRun(deps, workflowId, open.id, req.withEvent);

  const version = await latestVersion(deps, db, playbook.id, playbook.latestVersion);
  const decision = admission(version, account, situation.previousRuns, Date.now());
  if (!decision.allowed) return { status: 'skipped', code: decision.code, reason: decision.reason, runId: decision.runId };

  const reason = req.reason ?? null;
  let row: { id: string; startedAt: Date };
  try {
    row = await db.runs.insertRunning({ workflowId, playbookId: playbook.id, playbookVersionId: version.id, accountId: account.id, enrolledBy: req.enrolledBy, reason });
  } catch (error) {
    const pg = pgError(error);
    if (pg?.code === '23503' && pg.constraint === 'runs_account_id_fkey') throw new EnrollmentNotFoundError('Account', account.id, { cause: error });
    if (pg?.code === '23505' && pg.constraint === 'runs_one_active_per_account') {
      // Another enrollment won the race.
      const winner = await db.runs.latestIdByWorkflow(workflowId);
      if (req.withEvent && winner) return deliverToOpenRun(deps, workflowId, winner, req.withEvent);
      return { status: 'skipped', code: 'already_running', reason: ALREADY_RUNNING, runId: winner };
    }
    throw error;
  }

  const runId = row.id;
  const started = await startRun(deps, db, { runId, workflowId, playbookKey: playbook.key, version, accountId: account.id, event: req.withEvent });
  if (started.kind === 'already_running') {
    return { status: 'skipped', code: 'already_running', reason: ALREADY_RUNNING, runId: await db.runs.latestIdByWorkflow(workflowId, runId) };
  }
  if (started.kind === 'delivered') {
    const existing = (await db.runs.latestIdByWorkflow(workflowId, runId)) ?? started.startedBy;
    return { status: 'skipped', code: 'delivered_to_running', reason: DELIVERED, runId: existing };
  }
  const temporalRunId = started.temporalRunId;

  // Temporal's first run id is for people reading the row (messages go to the workflow id, which
  // follows continue-as-new): stored without holding up the answer.
  void db.runs.setTemporalRunId(runId, temporalRunId).catch((error: unknown) => {
    warn(deps, `Run ${runId} started (${workflowId}) but its Temporal run id was not stored: ${String(error)}`);
  });
  return {
    status: 'enrolled',
    runId,
    workflowId,
    version: version.version,
    run: {
      id: runId,
      workflowId,
      temporalRunId,
      playbookId: playbook.id,
      playbookKey: playbook.key,
      playbookName: playbook.name,
      playbookVersionId: version.id,
      version: version.version,
      planHash: version.hash,
      accountId: account.id,
      accountName: account.name,
      enrolledBy: req.enrolledBy,
      reason,
      startedAt: row.startedAt,
    },
  };
}

async function deliverToOpenRun(deps: EnrollmentDeps, workflowId: string, runId: string, event: AccountEvent): Promise<EnrollmentResult> {
  try {
    await temporalCall(deps, () => deps.temporal.workflow.getHandle(workflowId).signal(accountEventSignal, event));
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return { status: 'skipped', code: 'already_running', reason: `${ALREADY_RUNNING}, but it closed as the event arrived; the event was not delivered`, runId };
  }
  return { status: 'skipped', code: 'delivered_to_running', reason: DELIVERED, runId };
}
