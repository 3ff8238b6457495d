import { type EntityManager, In } from 'typeorm';
import { exactTimeOf, type KeysetPage } from '../common/keyset';
import { RunStepEntity } from './run-step.entity';
import { RunEntity } from './run.entity';

/** What a caller sets when a run starts; status, timestamps and progress are the engine's. */
export type NewRunFields = Pick<RunEntity, 'workflowId' | 'playbookId' | 'playbookVersionId' | 'accountId' | 'enrolledBy' | 'reason'>;

/** One write to a run's step history: a step starting (or its wait changing), or completing. */
export type StepWrite =
  | { kind: 'started'; nodeId: string; visit: number; nodeType: string; status: 'started' | 'waiting'; reason: string; at: Date }
  | { kind: 'completed'; nodeId: string; visit: number; outcome: string; reason: string; at: Date };

export interface FinishRunFields {
  outcome: 'completed' | 'exited' | 'cancelled';
  reason: string;
  at: Date;
}

/** What enrolling an account in a playbook reads, in one statement (`RunsRepository.enrollmentSituation`). */
export interface EnrollmentSituation {
  playbook: EnrollmentPlaybook;
  /** Null when there is no such account. */
  /** `segment`: its own segment; `memberOf`: every segment it is in now (what audiences match). */
  account: { id: string; name: string; segment: string | null; memberOf: string[] } | null;
  /** Every earlier run of the playbook for the account, the open one included. */
  previousRuns: PreviousRunRow[];
}

export interface EnrollmentPlaybook {
  id: string;
  key: string;
  name: string;
  latestVersion: number | null;
}

export interface PreviousRunRow {
  id: string;
  status: string;
  startedAt: Date;
}

/** One account's part of a bulk enrollment's situation. */
export interface AccountEnrollmentSituation {
  account: { id: string; name: string; segment: string | null; memberOf: string[] };
  /** Every earlier run of the playbook for the account, the open one included. */
  previousRuns: PreviousRunRow[];
}

/** What enrolling many accounts in one playbook reads, in one statement (`RunsRepository.enrollmentSituations`). */
export interface BulkEnrollmentSituation {
  playbook: EnrollmentPlaybook;
  /** The accounts that exist, each once (ids not found are absent). */
  accounts: AccountEnrollmentSituation[];
}

/** One run row a bulk enrollment inserts. */
export interface NewBulkRun {
  accountId: string;
  workflowId: string;
}

export interface RunFilter {
  accountId?: string;
  playbookId?: string;
  status?: string;
  /** Started at or after. */
  startedAfter?: Date;
  /** Started strictly before. */
  startedBefore?: Date;
}

const withLabels = { playbookVersion: { playbook: true }, account: true } as const;

/** The columns a run is shown with: not the version's document and plan (large jsonb). */
const labelColumns = {
  id: true,
  workflowId: true,
  temporalRunId: true,
  playbookId: true,
  playbookVersionId: true,
  accountId: true,
  status: true,
  currentNodeId: true,
  enrolledBy: true,
  reason: true,
  startedAt: true,
  endedAt: true,
  playbookVersion: { id: true, version: true, hash: true, playbook: { id: true, key: true, name: true } },
  account: { id: true, name: true },
} as const;

/** Runs (one per enrollment) and their step history. */
export class RunsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs matching the filter, newest first (start, then id), after `page.after`, with the playbook version and account they belong to. */
  async page(filter: RunFilter, page: KeysetPage<{ at: string }>): Promise<RunEntity[]> {
    const q = this.em.createQueryBuilder(RunEntity, 'r').select('r.id', 'id').orderBy('r.started_at', 'DESC').addOrderBy('r.id', 'DESC').limit(page.take);
    if (filter.accountId) q.andWhere('r.account_id = :accountId', { accountId: filter.accountId });
    if (filter.playbookId) q.andWhere('r.playbook_id = :playbookId', { playbookId: filter.playbookId });
    if (filter.status) q.andWhere('r.status = :status', { status: filter.status });
    if (filter.startedAfter) q.andWhere('r.started_at >= :startedAfter', { startedAfter: filter.startedAfter });
    if (filter.startedBefore) q.andWhere('r.started_at < :startedBefore', { startedBefore: filter.startedBefore });
    if (page.after) q.andWhere(`(r.started_at, r.id) < (${exactTimeOf('runs', 'started_at', 'at', 'id')}, :id::uuid)`, page.after);
    const ids = (await q.getRawMany<{ id: string }>()).map((r) => r.id);
    const byId = new Map((await this.findByIds(ids)).map((run) => [run.id, run]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Running runs of a playbook on versions other than `exceptVersionId` (what a publish leaves in flight). */
  runningOnOtherVersions(playbookId: string, exceptVersionId: string): Promise<Array<Pick<RunEntity, 'id' | 'workflowId' | 'temporalRunId' | 'accountId'>>> {
    return this.em
      .createQueryBuilder(RunEntity, 'r')
      .select(['r.id', 'r.workflowId', 'r.temporalRunId', 'r.accountId'])
      .where('r.playbook_id = :playbookId AND r.status = :running AND r.playbook_version_id <> :exceptVersionId', { playbookId, running: 'running', exceptVersionId })
      .orderBy('r.started_at', 'ASC')
      .getMany();
  }

  findById(id: string): Promise<RunEntity | null> {
    return this.em.findOne(RunEntity, { where: { id }, relations: withLabels, select: labelColumns });
  }

  findByIds(ids: readonly string[]): Promise<RunEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.em.find(RunEntity, { where: { id: In([...ids]) }, relations: withLabels, select: labelColumns });
  }

  exists(id: string): Promise<boolean> {
    return this.em.existsBy(RunEntity, { id });
  }

  /** Locks the run's row until the surrounding transaction ends; false if there is no such run. */
  async lock(id: string): Promise<boolean> {
    const rows: unknown[] = await this.em.query(`SELECT id FROM runs WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  /**
   * The step history in the order it happened. Steps the run passes through at once share their
   * start time (it writes them in one batch, at workflow time): the one that ended first came first.
   */
  steps(runId: string): Promise<RunStepEntity[]> {
    return this.em.find(RunStepEntity, { where: { runId }, order: { startedAt: 'ASC', completedAt: { direction: 'ASC', nulls: 'LAST' }, visit: 'ASC', id: 'ASC' } });
  }

  /**
   * Writes step records in one statement (one round trip), with the meaning of writing them one by
   * one in order: a start inserts the step or updates its status and reason (a retry changes
   * nothing); a completion sets status, outcome, reason and completion time of a step already
   * started (before or earlier in the batch) and is ignored otherwise. The run's current step
   * becomes the last step started, while it is running.
   */
  async recordSteps(runId: string, writes: readonly StepWrite[]): Promise<void> {
    if (writes.length === 0) return;
    // Several writes to one step (it completes, or its wait changes) fold into one row:
    // one statement cannot touch a row twice.
    type Row = { node_id: string; visit: number; node_type: string | null; status: string; reason: string; started_reason: string | null; outcome: string | null; started_at: string | null; completed_at: string | null; upsert: boolean };
    const rows = new Map<string, Row>();
    let current: string | null = null;
    for (const w of writes) {
      const key = `${w.nodeId}\u0000${w.visit}`;
      const row = rows.get(key);
      if (w.kind === 'started') {
        current = w.nodeId;
        if (row) Object.assign(row, { status: w.status, reason: w.reason, started_reason: row.started_reason ?? w.reason, upsert: true, node_type: row.node_type ?? w.nodeType, started_at: row.started_at ?? w.at.toISOString() });
        else rows.set(key, { node_id: w.nodeId, visit: w.visit, node_type: w.nodeType, status: w.status, reason: w.reason, started_reason: w.reason, outcome: null, started_at: w.at.toISOString(), completed_at: null, upsert: true });
      } else if (row) Object.assign(row, { status: 'completed', outcome: w.outcome, reason: w.reason, completed_at: w.at.toISOString() });
      else rows.set(key, { node_id: w.nodeId, visit: w.visit, node_type: null, status: 'completed', reason: w.reason, started_reason: null, outcome: w.outcome, started_at: null, completed_at: w.at.toISOString(), upsert: false });
    }
    await this.em.query(
      `WITH rec AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb)
           AS r(node_id text, visit int, node_type text, status text, reason text, started_reason text, outcome text, started_at timestamptz, completed_at timestamptz, upsert boolean)
       ), started AS (
         INSERT INTO run_steps AS s (run_id, node_id, node_type, visit, status, outcome, reason, started_reason, started_at, completed_at)
         SELECT $1, node_id, node_type, visit, status, outcome, reason, started_reason, started_at, completed_at FROM rec WHERE upsert
         ON CONFLICT (run_id, node_id, visit) DO UPDATE SET
           status = EXCLUDED.status,
           reason = EXCLUDED.reason,
           -- Why it fired stays the first reason its start gave.
           started_reason = COALESCE(s.started_reason, EXCLUDED.started_reason),
           outcome = CASE WHEN EXCLUDED.completed_at IS NULL THEN s.outcome ELSE EXCLUDED.outcome END,
           completed_at = COALESCE(EXCLUDED.completed_at, s.completed_at)
         WHERE (s.status, s.reason, s.outcome, s.completed_at) IS DISTINCT FROM
               (EXCLUDED.status, EXCLUDED.reason, CASE WHEN EXCLUDED.completed_at IS NULL THEN s.outcome ELSE EXCLUDED.outcome END, COALESCE(EXCLUDED.completed_at, s.completed_at))
         RETURNING 1
       ), completed AS (
         UPDATE run_steps s SET status = 'completed', outcome = rec.outcome, reason = rec.reason, completed_at = rec.completed_at
         FROM rec WHERE NOT rec.upsert AND s.run_id = $1 AND s.node_id = rec.node_id AND s.visit = rec.visit
         RETURNING 1
       ), moved AS (
         UPDATE runs SET current_node_id = $3 WHERE $3::text IS NOT NULL AND id = $1 AND status = 'running'
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM started) AS started, (SELECT count(*) FROM completed) AS completed, (SELECT count(*) FROM moved) AS moved`,
      [runId, JSON.stringify([...rows.values()]), current],
    );
  }

  /**
   * Sets a running run's outcome and, in the same statement, closes what it left open: pending
   * approvals become `cancelled` (resolution `cancelled`, the reason as note) and open tasks of its
   * task steps `cancelled`. A call or meeting task a touch handed to a person stays open unless a
   * person cancelled the run: the run never waited for it.
   */
  async finish(runId: string, fields: FinishRunFields): Promise<{ finished: boolean; approvalsCancelled: number; tasksCancelled: number }> {
    const [row] = await this.em.query(
      `WITH run AS (
         UPDATE runs SET status = $2, ended_at = $4 WHERE id = $1 AND status = 'running' RETURNING 1
       ), approvals AS (
         UPDATE approvals SET status = 'cancelled', resolution = 'cancelled', note = $3, decided_at = $4
         WHERE run_id = $1 AND status = 'pending' RETURNING 1
       ), tasks AS (
         UPDATE tasks t SET status = 'cancelled', note = $3, completed_at = $4
         WHERE t.run_id = $1 AND t.status = 'open'
           AND ($2 = 'cancelled' OR NOT EXISTS (
             SELECT 1 FROM run_actions a WHERE a.run_id = t.run_id AND a.node_id = t.node_id AND a.visit = t.visit AND a.kind IN ('call', 'meeting')))
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM run)::int AS finished, (SELECT count(*) FROM approvals)::int AS approvals, (SELECT count(*) FROM tasks)::int AS tasks`,
      [runId, fields.outcome, fields.reason, fields.at.toISOString()],
    );
    return { finished: row.finished > 0, approvalsCancelled: row.approvals, tasksCancelled: row.tasks };
  }

  async setTemporalRunId(id: string, temporalRunId: string): Promise<void> {
    await this.em.query(`UPDATE runs SET temporal_run_id = $2 WHERE id = $1`, [id, temporalRunId]);
  }

  /** Stores Temporal's run id of many runs in one statement. */
  async setTemporalRunIds(pairs: ReadonlyArray<{ runId: string; temporalRunId: string }>): Promise<void> {
    if (pairs.length === 0) return;
    await this.em.query(
      `UPDATE runs r SET temporal_run_id = x.temporal_run_id
       FROM unnest($1::uuid[], $2::text[]) AS x(id, temporal_run_id) WHERE r.id = x.id`,
      [pairs.map((p) => p.runId), pairs.map((p) => p.temporalRunId)],
    );
  }

  /**
   * Everything enrolling an account in a playbook decides on, in one indexed statement: the
   * playbook (by id or key) with its latest published version number, the account with its
   * segment key, and the account's earlier runs of the playbook. Null when there is no such
   * playbook.
   */
  async enrollmentSituation(playbook: { id: string } | { key: string }, accountId: string): Promise<EnrollmentSituation | null> {
    const situation = await this.enrollmentSituations(playbook, [accountId]);
    if (!situation) return null;
    const found = situation.accounts[0];
    return { playbook: situation.playbook, account: found?.account ?? null, previousRuns: found?.previousRuns ?? [] };
  }

  /**
   * `enrollmentSituation` for many accounts of one playbook, in one statement: the playbook with
   * its latest published version number (read once), then each account that exists (ids given
   * twice or unknown yield nothing) with its segment key and its earlier runs of the playbook.
   * Null when there is no such playbook. The ids must be uuids.
   */
  async enrollmentSituations(playbook: { id: string } | { key: string }, accountIds: readonly string[]): Promise<BulkEnrollmentSituation | null> {
    const byId = 'id' in playbook;
    const rows: Array<{
      id: string;
      key: string;
      name: string;
      latest: number | null;
      account_id: string | null;
      account_name: string | null;
      segment: string | null;
      member_of: string[] | null;
      runs: Array<{ id: string; status: string; startedAt: string }> | null;
    }> = await this.em.query(
      // MATERIALIZED: max(version) is read once, not once per account.
      `WITH p AS MATERIALIZED (
         SELECT p.id, p.key, p.name, (SELECT max(v.version) FROM playbook_versions v WHERE v.playbook_id = p.id) AS latest
         FROM playbooks p WHERE ${byId ? 'p.id = $1::uuid' : 'p.key = $1'}
       )
       SELECT p.id, p.key, p.name, p.latest,
              a.id AS account_id, a.name AS account_name, s.key AS segment,
              ARRAY(SELECT ms.key FROM segment_memberships m JOIN segments ms ON ms.id = m.segment_id
                    WHERE m.account_id = a.id AND m.exited_at IS NULL ORDER BY ms.key) AS member_of,
              (SELECT json_agg(json_build_object('id', r.id, 'status', r.status, 'startedAt', r.started_at))
                 FROM runs r WHERE r.account_id = a.id AND r.playbook_id = p.id) AS runs
       FROM p
       LEFT JOIN accounts a ON a.id = ANY($2::uuid[])
       LEFT JOIN segments s ON s.id = a.segment_id`,
      [byId ? playbook.id : playbook.key, accountIds],
    );
    const first = rows[0];
    if (!first) return null;
    return {
      playbook: { id: first.id, key: first.key, name: first.name, latestVersion: first.latest === null ? null : Number(first.latest) },
      accounts: rows
        .filter((row) => row.account_id !== null)
        .map((row) => ({
          account: { id: row.account_id ?? '', name: row.account_name ?? '', segment: row.segment, memberOf: row.member_of ?? [] },
          previousRuns: (row.runs ?? []).map((r) => ({ id: r.id, status: r.status, startedAt: new Date(r.startedAt) })),
        })),
    };
  }

  /**
   * Inserts a running run in one statement (no read-back) and returns its id and start time.
   * Throws the driver's unique violation on `runs_one_active_per_account` when a run of the
   * playbook is open for the account, and its foreign key violation on `runs_account_id_fkey`
   * when there is no such account.
   */
  async insertRunning(fields: NewRunFields): Promise<{ id: string; startedAt: Date }> {
    const [row]: Array<{ id: string; started_at: Date }> = await this.em.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by, reason)
       VALUES ($1, $2, $3, $4, 'running', $5, $6) RETURNING id, started_at`,
      [fields.workflowId, fields.playbookId, fields.playbookVersionId, fields.accountId, fields.enrolledBy, fields.reason],
    );
    return { id: row.id, startedAt: new Date(row.started_at) };
  }

  /**
   * Inserts many running runs of one playbook version in one statement and returns the rows it
   * inserted. An account with a run of the playbook open (`runs_one_active_per_account`, e.g. one
   * enrolled meanwhile) or that no longer exists gets no row instead of failing the statement.
   */
  async insertRunningMany(
    fields: Pick<NewRunFields, 'playbookId' | 'playbookVersionId' | 'enrolledBy' | 'reason'>,
    runs: readonly NewBulkRun[],
  ): Promise<Array<{ id: string; accountId: string; startedAt: Date }>> {
    if (runs.length === 0) return [];
    const rows: Array<{ id: string; account_id: string; started_at: Date }> = await this.em.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by, reason)
       SELECT x.workflow_id, $1, $2, x.account_id, 'running', $3, $4
       FROM unnest($5::uuid[], $6::text[]) WITH ORDINALITY AS x(account_id, workflow_id, n)
       JOIN accounts a ON a.id = x.account_id
       ORDER BY x.n
       ON CONFLICT (playbook_id, account_id) WHERE status = 'running' DO NOTHING
       RETURNING id, account_id, started_at`,
      [fields.playbookId, fields.playbookVersionId, fields.enrolledBy, fields.reason, runs.map((r) => r.accountId), runs.map((r) => r.workflowId)],
    );
    return rows.map((row) => ({ id: row.id, accountId: row.account_id, startedAt: new Date(row.started_at) }));
  }

  /** The open run of the playbook for each of the accounts that has one: account id → run id. */
  async runningIdsByAccount(playbookId: string, accountIds: readonly string[]): Promise<Map<string, string>> {
    if (accountIds.length === 0) return new Map();
    const rows: Array<{ id: string; account_id: string }> = await this.em.query(
      `SELECT id, account_id FROM runs WHERE playbook_id = $1 AND account_id = ANY($2::uuid[]) AND status = 'running'`,
      [playbookId, accountIds],
    );
    return new Map(rows.map((row) => [row.account_id, row.id]));
  }

  /** Removes runs whose workflow never started (nothing else refers to them yet). */
  async deleteUnstarted(ids: string | readonly string[]): Promise<void> {
    const list = typeof ids === 'string' ? [ids] : ids;
    if (list.length === 0) return;
    await this.em.query(`DELETE FROM runs WHERE id = ANY($1::uuid[])`, [list]);
  }

  /** The run behind a workflow id, the running one first, then the latest; other than `except`. */
  async latestIdByWorkflow(workflowId: string, except: string | null = null): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.em.query(
      `SELECT id FROM runs WHERE workflow_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)
       ORDER BY (status = 'running') DESC, started_at DESC LIMIT 1`,
      [workflowId, except],
    );
    return row?.id ?? null;
  }
}
