import { enrollmentDecision, type ExecutablePlan } from '@cairn/playbook';
import { type AccountEvent, accountEventSignal, PLAYBOOK_RUN_WORKFLOW, playbookRunWorkflowId, type PlaybookRunInput } from '@cairn/workflows';
import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { EnrollmentNotFoundError } from './errors';
import { type CachedVersion, type VersionCache, versionCacheFor } from './version-cache';

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
const DEFAULT_TEMPORAL_TIMEOUT_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Situation {
  playbook: { id: string; key: string; name: string };
  latest: number | null;
  account: { id: string; name: string; segment: string | null } | null;
  runs: Array<{ id: string; status: string; startedAt: string }>;
}

/**
 * Starts a run of a playbook's latest published version for an account, if its audience and
 * re-entry policy allow it and no run of it is open for the account.
 *
 * Round trips: one query reads the playbook, its latest version number, the account with its
 * segment and the account's earlier runs of the playbook; the version itself comes from the
 * in-process cache. Then the run row is inserted (committed on its own: the partial unique index
 * `runs_one_active_per_account` admits one running run per playbook and account, and the foreign
 * key refuses an account deleted meanwhile), the workflow starts (its id is per playbook key and
 * account, so Temporal refuses a second open run too), and Temporal's run id is stored (not
 * awaited: nothing depends on it). If the
 * start fails the row is deleted again, after terminating the workflow if it did start after all;
 * so no transaction is held across the call to Temporal and no workflow runs without its row.
 *
 * With `withEvent` the start is a signal-with-start: when a run is already open for the playbook
 * and account the event reaches it instead, and the answer is `delivered_to_running`.
 */
export async function enrollAccount(deps: EnrollmentDeps, req: EnrollmentRequest): Promise<EnrollmentResult> {
  const situation = await readSituation(deps.dataSource, req);
  const { playbook, account } = situation;
  if (!account) throw new EnrollmentNotFoundError('Account', req.accountId);
  if (situation.latest === null) {
    return { status: 'skipped', code: 'no_version', reason: `"${playbook.name}" has no published version yet; publish it before enrolling accounts`, runId: null };
  }
  const workflowId = playbookRunWorkflowId(playbook.key, account.id);
  const open = situation.runs.find((r) => r.status === 'running');
  if (open && req.withEvent) return deliverToOpenRun(deps, workflowId, open.id, req.withEvent);

  const version = await latestVersion(deps, playbook.id, situation.latest);
  const decision = enrollmentDecision({
    reentry: version.plan.settings?.reentry ?? { policy: 'once' },
    audience: version.plan.audience ?? { segments: [] },
    accountSegment: account.segment,
    previousRuns: situation.runs.map((r) => ({ startedAtMs: Date.parse(r.startedAt), status: r.status })),
    running: open !== undefined,
    nowMs: Date.now(),
  });
  if (!decision.allowed) return { status: 'skipped', code: decision.code, reason: decision.reason, runId: decision.code === 'already_running' ? (open?.id ?? null) : null };

  const reason = req.reason ?? null;
  let row: { id: string; started_at: Date };
  try {
    [row] = await deps.dataSource.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by, reason)
       VALUES ($1, $2, $3, $4, 'running', $5, $6) RETURNING id, started_at`,
      [workflowId, playbook.id, version.id, account.id, req.enrolledBy, reason],
    );
  } catch (error) {
    const pg = pgError(error);
    if (pg?.code === '23503' && pg.constraint === 'runs_account_id_fkey') throw new EnrollmentNotFoundError('Account', account.id, { cause: error });
    if (pg?.code === '23505' && pg.constraint === 'runs_one_active_per_account') {
      // Another enrollment won the race.
      const winner = await openRunId(deps.dataSource, workflowId, null);
      if (req.withEvent && winner) return deliverToOpenRun(deps, workflowId, winner, req.withEvent);
      return { status: 'skipped', code: 'already_running', reason: ALREADY_RUNNING, runId: winner };
    }
    throw error;
  }

  const runId = row.id;
  const input: PlaybookRunInput = { runId, playbookVersionId: version.id, accountId: account.id, plan: version.plan };
  const options = {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [input] as [PlaybookRunInput],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
    memo: { runId, playbookKey: playbook.key, version: version.version },
  };
  let temporalRunId: string;
  const event = req.withEvent;
  try {
    if (event) {
      const handle = await temporalCall(deps, () =>
        deps.temporal.workflow.signalWithStart(PLAYBOOK_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'USE_EXISTING', signal: accountEventSignal, signalArgs: [event] }),
      );
      const startedBy = await memoRunId(deps, deps.temporal.workflow.getHandle(workflowId, handle.signaledRunId));
      if (startedBy !== runId) {
        // A run was open already (its row no longer `running`, or from before): the event reached it.
        await deleteRun(deps, runId);
        const existing = (await openRunId(deps.dataSource, workflowId, runId)) ?? startedBy;
        return { status: 'skipped', code: 'delivered_to_running', reason: 'A run of this playbook is already open for this account; the event was delivered to it', runId: existing };
      }
      temporalRunId = handle.signaledRunId;
    } else {
      const handle = await temporalCall(deps, () => deps.temporal.workflow.start(PLAYBOOK_RUN_WORKFLOW, { ...options, workflowIdConflictPolicy: 'FAIL' }));
      temporalRunId = handle.firstExecutionRunId;
    }
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      await deleteRun(deps, runId);
      return { status: 'skipped', code: 'already_running', reason: ALREADY_RUNNING, runId: await openRunId(deps.dataSource, workflowId, runId) };
    }
    // The start may have reached Temporal even though the call failed (a timeout): stop the
    // workflow if it is ours, then remove the row, so nothing runs unrecorded.
    await terminateIfOurs(deps, workflowId, runId, error);
    await deleteRun(deps, runId);
    throw error;
  }

  // Temporal's first run id is for people reading the row (messages go to the workflow id, which
  // follows continue-as-new): stored without holding up the answer.
  void deps.dataSource.query(`UPDATE runs SET temporal_run_id = $2 WHERE id = $1`, [runId, temporalRunId]).catch((error: unknown) => {
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
      startedAt: new Date(row.started_at),
    },
  };
}

/** One indexed query: the playbook, its latest version number, the account and its earlier runs of the playbook. */
async function readSituation(dataSource: DataSource, req: EnrollmentRequest): Promise<Situation> {
  const byId = req.playbookId !== undefined;
  const playbookRef = req.playbookId ?? req.playbookKey;
  if (playbookRef === undefined) throw new TypeError('enrollAccount needs playbookId or playbookKey');
  if (byId && !UUID.test(playbookRef)) throw new EnrollmentNotFoundError('Playbook', playbookRef);
  if (!UUID.test(req.accountId)) throw new EnrollmentNotFoundError('Account', req.accountId);
  const rows: Array<{ id: string; key: string; name: string; latest: number | null; account_id: string | null; account_name: string | null; segment: string | null; runs: Situation['runs'] }> =
    await dataSource.query(
      `SELECT p.id, p.key, p.name,
              (SELECT max(v.version) FROM playbook_versions v WHERE v.playbook_id = p.id) AS latest,
              a.id AS account_id, a.name AS account_name, s.key AS segment,
              (SELECT coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'startedAt', r.started_at)), '[]'::json)
                 FROM runs r WHERE r.account_id = a.id AND r.playbook_id = p.id) AS runs
       FROM playbooks p
       LEFT JOIN accounts a ON a.id = $2::uuid
       LEFT JOIN segments s ON s.id = a.segment_id
       WHERE ${byId ? 'p.id = $1::uuid' : 'p.key = $1'}`,
      [playbookRef, req.accountId],
    );
  const r = rows[0];
  if (!r) throw new EnrollmentNotFoundError('Playbook', playbookRef);
  return {
    playbook: { id: r.id, key: r.key, name: r.name },
    latest: r.latest === null ? null : Number(r.latest),
    account: r.account_id ? { id: r.account_id, name: r.account_name ?? '', segment: r.segment } : null,
    runs: r.runs ?? [],
  };
}

async function latestVersion(deps: EnrollmentDeps, playbookId: string, latest: number): Promise<CachedVersion> {
  const cache = deps.versions ?? versionCacheFor(deps.dataSource);
  const hit = cache.get(playbookId, latest);
  if (hit) return hit;
  const [row]: Array<{ id: string; version: number; hash: string; plan: ExecutablePlan }> = await deps.dataSource.query(
    `SELECT id, version, hash, plan FROM playbook_versions WHERE playbook_id = $1 AND version = $2`,
    [playbookId, latest],
  );
  if (!row) throw new Error(`playbook ${playbookId} has no version ${latest}`);
  const version = { id: row.id, version: Number(row.version), hash: row.hash, plan: row.plan };
  cache.set(playbookId, version);
  return version;
}

/** The run behind a workflow id (the running one first), other than `except`. */
async function openRunId(dataSource: DataSource, workflowId: string, except: string | null): Promise<string | null> {
  const [row]: Array<{ id: string }> = await dataSource.query(
    `SELECT id FROM runs WHERE workflow_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)
     ORDER BY (status = 'running') DESC, started_at DESC LIMIT 1`,
    [workflowId, except],
  );
  return row?.id ?? null;
}

async function deliverToOpenRun(deps: EnrollmentDeps, workflowId: string, runId: string, event: AccountEvent): Promise<EnrollmentResult> {
  try {
    await temporalCall(deps, () => deps.temporal.workflow.getHandle(workflowId).signal(accountEventSignal, event));
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return { status: 'skipped', code: 'already_running', reason: `${ALREADY_RUNNING}, but it closed as the event arrived; the event was not delivered`, runId };
  }
  return { status: 'skipped', code: 'delivered_to_running', reason: 'A run of this playbook is already open for this account; the event was delivered to it', runId };
}

async function memoRunId(deps: EnrollmentDeps, handle: WorkflowHandle): Promise<string | null> {
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

async function deleteRun(deps: EnrollmentDeps, runId: string): Promise<void> {
  try {
    await deps.dataSource.query(`DELETE FROM runs WHERE id = $1`, [runId]);
  } catch (error) {
    warn(deps, `Could not remove run ${runId} after its workflow did not start: ${String(error)}`);
    throw error;
  }
}

function temporalCall<T>(deps: EnrollmentDeps, fn: () => Promise<T>): Promise<T> {
  return deps.temporal.connection.withDeadline(Date.now() + (deps.temporalTimeoutMs ?? DEFAULT_TEMPORAL_TIMEOUT_MS), fn);
}

function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  return driver as { code?: string; constraint?: string };
}

function warn(deps: EnrollmentDeps, message: string): void {
  (deps.warn ?? console.warn)(message);
}
