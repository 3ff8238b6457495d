import { repositories } from '@cairn/db';
import { playbookRunWorkflowId } from '@cairn/workflows';
import { ALREADY_RUNNING, type EnrollmentDeps } from './enroll';
import { EnrollmentNotFoundError } from './errors';
import { admission, deleteRun, latestVersion, playbookRef, startRun, UUID, warn } from './start';
import { isTemporalUnreachable } from './temporal-errors';

/** At most this many accounts in one `enrollMany` call (one query reads them all). */
export const MAX_BULK_ENROLLMENT = 10_000;
/** Workflow starts in flight at once, by default. */
export const DEFAULT_START_CONCURRENCY = 64;
/** Temporal run ids stored per UPDATE. */
const RUN_ID_BATCH = 500;

export interface BulkEnrollmentRequest {
  /** The playbook by id or by key (one of them). */
  playbookId?: string;
  playbookKey?: string;
  /** 1 to 10,000 accounts; an id given twice counts once. */
  accountIds: readonly string[];
  /** Who enrolled the accounts: `api`, … */
  enrolledBy: string;
  reason?: string | null;
  /** Workflow starts in flight at once (default 64). */
  concurrency?: number;
}

export type BulkSkipCode = 'already_running' | 'reentry' | 'audience' | 'no_version' | 'not_found';
export type BulkFailureCode = 'temporal_unavailable' | 'start_failed';

export interface BulkEnrolled {
  accountId: string;
  runId: string;
  workflowId: string;
}

export interface BulkSkipped {
  accountId: string;
  code: BulkSkipCode;
  reason: string;
  /** The run that is open, when that is why. */
  runId: string | null;
}

export interface BulkFailed {
  accountId: string;
  code: BulkFailureCode;
  /** In words, for people; the error itself is in `error` (and was passed to `warn`). */
  reason: string;
  error: unknown;
}

/** Each account once, in the order of the request, under exactly one of the three lists. */
export interface BulkEnrollmentResult {
  playbook: { id: string; key: string; name: string };
  /** The version the runs start on; null when the playbook was never published (everyone is skipped `no_version`). */
  version: number | null;
  enrolled: BulkEnrolled[];
  skipped: BulkSkipped[];
  failed: BulkFailed[];
}

type Outcome = ({ status: 'enrolled' } & BulkEnrolled) | ({ status: 'skipped' } & BulkSkipped) | ({ status: 'failed' } & BulkFailed);

const NOT_FOUND = 'No such account';
const UNREACHABLE = 'The workflow engine (Temporal) could not be reached; the run was not started. Send the same request again to retry';
const START_FAILED = 'The workflow did not start (the error is logged); the run was not started. Send the same request again to retry';

/**
 * Enrolls many accounts in one playbook's latest published version: the batched form of
 * `enrollAccount`, with the same rules (audience, re-entry policy, one open run per playbook and
 * account, no workflow without its row) and the same version cache.
 *
 * Round trips, whatever the number of accounts: one query reads the playbook, its latest version
 * number and every account with its segment and earlier runs (`RunsRepository.enrollmentSituations`);
 * one multi-row INSERT … RETURNING writes the runs that may start (an account enrolled meanwhile by
 * someone else gets no row: the partial unique index decides); then the workflows start, at most
 * `concurrency` at once; then Temporal's run ids are stored in UPDATEs of 500. A start that fails
 * removes its row (as `enrollAccount` does) and is reported under `failed`; once Temporal is
 * unreachable the runs not yet started are not tried, their rows are removed in one statement and
 * they are reported `temporal_unavailable`.
 *
 * Idempotent: the same request again enrolls nobody twice (a running account is skipped as
 * `already_running`, naming its run; one that finished is subject to the re-entry policy), so a
 * caller retries the `failed` accounts by repeating the request.
 */
export async function enrollMany(deps: EnrollmentDeps, req: BulkEnrollmentRequest): Promise<BulkEnrollmentResult> {
  const ref = playbookRef(req);
  if (req.accountIds.length > MAX_BULK_ENROLLMENT) throw new RangeError(`At most ${MAX_BULK_ENROLLMENT} accounts per bulk enrollment (got ${req.accountIds.length})`);
  const concurrency = Math.max(1, Math.floor(req.concurrency ?? DEFAULT_START_CONCURRENCY));
  // Postgres compares uuids in any case: so does the request.
  const ids = [...new Set(req.accountIds.map((id) => id.toLowerCase()))];
  const outcomes = new Map<string, Outcome>();
  const skip = (accountId: string, code: BulkSkipCode, reason: string, runId: string | null = null) => outcomes.set(accountId, { status: 'skipped', accountId, code, reason, runId });

  const db = repositories(deps.dataSource.manager);
  const wellFormed = ids.filter((id) => UUID.test(id));
  const situation = await db.runs.enrollmentSituations(ref, wellFormed);
  if (!situation) throw new EnrollmentNotFoundError('Playbook', 'id' in ref ? ref.id : ref.key);
  const { playbook } = situation;
  const result = (version: number | null): BulkEnrollmentResult => report({ id: playbook.id, key: playbook.key, name: playbook.name }, version, ids, outcomes);

  const found = new Set(situation.accounts.map((a) => a.account.id));
  for (const id of ids) if (!found.has(id)) skip(id, 'not_found', NOT_FOUND);
  if (playbook.latestVersion === null) {
    for (const { account } of situation.accounts) skip(account.id, 'no_version', `"${playbook.name}" has no published version yet; publish it before enrolling accounts`);
    return result(null);
  }

  const version = await latestVersion(deps, db, playbook.id, playbook.latestVersion);
  const nowMs = Date.now();
  const admitted: Array<{ accountId: string; workflowId: string }> = [];
  for (const { account, previousRuns } of situation.accounts) {
    const decision = admission(version, account, previousRuns, nowMs);
    if (decision.allowed) admitted.push({ accountId: account.id, workflowId: playbookRunWorkflowId(playbook.key, account.id) });
    else skip(account.id, decision.code, decision.reason, decision.runId);
  }

  const rows = await db.runs.insertRunningMany({ playbookId: playbook.id, playbookVersionId: version.id, enrolledBy: req.enrolledBy, reason: req.reason ?? null }, admitted);
  if (rows.length < admitted.length) {
    // Enrolled meanwhile by someone else (the unique index kept the row out), or deleted meanwhile.
    const inserted = new Set(rows.map((r) => r.accountId));
    const missing = admitted.filter((a) => !inserted.has(a.accountId)).map((a) => a.accountId);
    const open = await db.runs.runningIdsByAccount(playbook.id, missing);
    for (const id of missing) {
      const runId = open.get(id);
      if (runId) skip(id, 'already_running', ALREADY_RUNNING, runId);
      else skip(id, 'not_found', NOT_FOUND);
    }
  }

  const workflowIds = new Map(admitted.map((a) => [a.accountId, a.workflowId]));
  const storing: Array<Promise<void>> = [];
  let pending: Array<{ runId: string; temporalRunId: string }> = [];
  const store = () => {
    const batch = pending;
    pending = [];
    storing.push(
      db.runs.setTemporalRunIds(batch).catch((error: unknown) => {
        warn(deps, `${batch.length} runs of ${playbook.key} started but their Temporal run ids were not stored: ${String(error)}`);
      }),
    );
  };
  let unreachable = false;
  const notTried: typeof rows = [];

  await pool(rows, concurrency, async (row) => {
    const workflowId = workflowIds.get(row.accountId) ?? playbookRunWorkflowId(playbook.key, row.accountId);
    if (unreachable) {
      notTried.push(row);
      return;
    }
    try {
      const started = await startRun(deps, db, { runId: row.id, workflowId, playbookKey: playbook.key, version, accountId: row.accountId });
      if (started.kind === 'started') {
        outcomes.set(row.accountId, { status: 'enrolled', accountId: row.accountId, runId: row.id, workflowId });
        pending.push({ runId: row.id, temporalRunId: started.temporalRunId });
        if (pending.length >= RUN_ID_BATCH) store();
      } else {
        // Temporal has the workflow open though Postgres had no running row (e.g. a row that ended
        // while its workflow had not): the row was removed.
        skip(row.accountId, 'already_running', ALREADY_RUNNING, await db.runs.latestIdByWorkflow(workflowId, row.id));
      }
    } catch (error) {
      const down = isTemporalUnreachable(error);
      if (down) unreachable = true;
      warn(deps, `Enrolling account ${row.accountId} in ${playbook.key} failed; the run row was removed: ${String(error)}`);
      outcomes.set(row.accountId, { status: 'failed', accountId: row.accountId, code: down ? 'temporal_unavailable' : 'start_failed', reason: down ? UNREACHABLE : START_FAILED, error });
    }
  });

  if (notTried.length > 0) {
    await deleteRun(
      deps,
      db,
      notTried.map((r) => r.id),
    );
    for (const row of notTried) outcomes.set(row.accountId, { status: 'failed', accountId: row.accountId, code: 'temporal_unavailable', reason: UNREACHABLE, error: null });
  }
  if (pending.length > 0) store();
  await Promise.all(storing);
  return result(version.version);
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++] as T);
  });
  await Promise.all(lanes);
}

function report(playbook: BulkEnrollmentResult['playbook'], version: number | null, ids: readonly string[], outcomes: ReadonlyMap<string, Outcome>): BulkEnrollmentResult {
  const result: BulkEnrollmentResult = { playbook, version, enrolled: [], skipped: [], failed: [] };
  for (const id of ids) {
    const outcome = outcomes.get(id);
    if (!outcome) throw new Error(`bulk enrollment lost track of account ${id}`);
    if (outcome.status === 'enrolled') result.enrolled.push({ accountId: outcome.accountId, runId: outcome.runId, workflowId: outcome.workflowId });
    else if (outcome.status === 'skipped') result.skipped.push({ accountId: outcome.accountId, code: outcome.code, reason: outcome.reason, runId: outcome.runId });
    else result.failed.push({ accountId: outcome.accountId, code: outcome.code, reason: outcome.reason, error: outcome.error });
  }
  return result;
}
