import { type BulkEnrollRequest, type BulkEnrollResponse, type CancelRunRequest, type EnrollRequest, type ListRunEmailsQuery, type ListRunsQuery, MAX_BULK_ENROLLMENT, type Run, type RunSummaryPage, type SentEmailPage } from '@cairn/contracts';
import { type Repositories, repositories, type SegmentMembers } from '@cairn/db';
import { type BulkEnrollmentResult, enrollAccount, type EnrollmentDeps, EnrollmentNotFoundError, type EnrollmentResult, enrollMany } from '@cairn/enrollment';
import { cancelRunSignal } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { pageOf } from '../common/page';
import { API_CONFIG, type ApiConfig } from '../config';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { runHandle } from '../temporal/run-handle';
import { RunDetails } from './run-details';
import { fromEnrolledRun, toBulkEnrollResponse, toRun, toRunSummary, toSentEmail } from './runs.mapper';

@Injectable()
export class RunsService {
  private readonly logger = new Logger('Runs');
  private readonly db: Repositories;
  private readonly deps: EnrollmentDeps;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(RunDetails) private readonly details: RunDetails,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
    this.deps = { dataSource, temporal, taskQueue: config.taskQueue, temporalTimeoutMs: TEMPORAL_CALL_TIMEOUT_MS, warn: (message) => this.logger.warn(message) };
  }

  /**
   * Starts one run of the latest published version for an account, through `enrollAccount` of
   * `@cairn/enrollment` (audience and re-entry policy, one open run per playbook and account, no
   * workflow without its row). A refusal is 409 with its reason; the answer is built from what the
   * enrollment wrote, without reading the run back. The run records who enrolled it.
   *
   * The audit entry is written once the run has started, not in the run row's transaction: the
   * row commits on its own before the start and is deleted again if the start fails (no
   * transaction is held across Temporal), so an entry written with it could name a run that never was.
   */
  async enroll(principal: RequestPrincipal, playbookId: string, { accountId, reason }: EnrollRequest): Promise<Run> {
    let result: EnrollmentResult;
    try {
      result = await enrollAccount(this.deps, { accountId, playbookId, enrolledBy: principal.name, reason: reason ?? null });
    } catch (error) {
      if (error instanceof EnrollmentNotFoundError) throw new NotFoundError(error.what, error.id);
      throw fromTemporalError(error, {});
    }
    if (result.status === 'skipped') throw new ConflictError(result.reason);
    const run = result.run;
    await this.audit.record(this.dataSource.manager, principal, {
      action: 'run.enrolled',
      entity: { type: 'run', id: run.id },
      summary: `${principal.name} enrolled ${run.accountName} in ${run.playbookName} v${run.version}${run.reason ? `: ${run.reason}` : ''}`,
      changes: { after: { playbookId: run.playbookId, version: run.version, accountId: run.accountId, reason: run.reason } },
    });
    return fromEnrolledRun(run);
  }

  /**
   * Enrolls a list of accounts, or every account of a segment, through `enrollMany` of
   * `@cairn/enrollment` (the same rules as one enrollment, batched). Answers each account: enrolled,
   * skipped with the reason (unknown ids are `not_found`, not an error), or failed to start. An
   * unknown playbook or segment is 404, a playbook never published 409, a segment of more than
   * 10,000 accounts 400.
   */
  async enrollMany(principal: RequestPrincipal, playbookId: string, body: BulkEnrollRequest): Promise<BulkEnrollResponse> {
    let segment: SegmentMembers['segment'] | null = null;
    let accountIds = body.accountIds ?? [];
    if (body.segmentId !== undefined) {
      const members = await this.db.accounts.segmentMembers(body.segmentId, MAX_BULK_ENROLLMENT);
      if (!members) throw new NotFoundError('Segment', body.segmentId);
      if (members.total > MAX_BULK_ENROLLMENT) {
        throw new ValidationError(`Segment "${members.segment.name}" has ${members.total} accounts; at most ${MAX_BULK_ENROLLMENT} can be enrolled in one request`, [
          { path: 'body.segmentId', code: 'too_many_accounts', message: `The segment has ${members.total} accounts; at most ${MAX_BULK_ENROLLMENT} per request (send lists of accountIds instead)` },
        ]);
      }
      segment = members.segment;
      accountIds = members.accountIds;
    }
    // A segment enrollment without a reason still says why each run started.
    const reason = body.reason ?? (segment ? `Bulk enrollment of segment "${segment.name}"` : null);
    let result: BulkEnrollmentResult;
    try {
      result = await enrollMany(this.deps, { playbookId, accountIds, enrolledBy: principal.name, reason, concurrency: this.config.enrollConcurrency });
    } catch (error) {
      if (error instanceof EnrollmentNotFoundError) throw new NotFoundError(error.what, error.id);
      throw fromTemporalError(error, {});
    }
    if (result.version === null) throw new ConflictError(`"${result.playbook.name}" has no published version yet; publish it before enrolling accounts`);
    // One entry per call, once the runs have started (as for one enrollment: no transaction spans Temporal).
    await this.audit.record(this.dataSource.manager, principal, {
      action: 'run.bulk_enrolled',
      entity: { type: 'playbook', id: result.playbook.id },
      summary: `${principal.name} enrolled ${result.enrolled.length} account${result.enrolled.length === 1 ? '' : 's'} in ${result.playbook.name} v${result.version}${segment ? ` (segment "${segment.name}")` : ''}: ${result.skipped.length} skipped, ${result.failed.length} failed`,
      changes: { after: { enrolled: result.enrolled.map((e) => e.runId), skipped: result.skipped.length, failed: result.failed.length, reason } },
    });
    return toBulkEnrollResponse(result, result.version, segment);
  }

  /** Runs newest first (start, then id), filtered; see listRunsQuerySchema. */
  async list({ limit, cursor, startedAfter, startedBefore, ...filter }: ListRunsQuery): Promise<RunSummaryPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const found = await this.db.runs.page(
      { ...filter, startedAfter: startedAfter ? new Date(startedAfter) : undefined, startedBefore: startedBefore ? new Date(startedBefore) : undefined },
      { take: limit + 1, after },
    );
    return pageOf(found, limit, toRunSummary, (last) => encodeCursor(last.startedAt, last.id));
  }

  /** With `live`, asks the running workflow for its state (GET /api/runs/:id); otherwise `live` is null. */
  async get(id: string, options: { live?: boolean } = {}): Promise<Run> {
    const run = await this.db.runs.findById(id);
    if (!run) throw new NotFoundError('Run', id);
    return toRun(run, await this.db.runs.steps(id), await this.details.of(run, options));
  }

  /**
   * The signed-in person stops a running run (a CSM on accounts they own, a manager for their
   * team; ops and admins any). The workflow ends wherever it is, closes a pending approval and
   * records who cancelled it and why; the answer is 202 because that happens a moment later. The
   * audit entry and the signal share one transaction (run row locked): if the signal cannot be
   * sent, no entry stays.
   */
  async cancel(principal: RequestPrincipal, id: string, { reason }: CancelRunRequest): Promise<Run> {
    await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      if (!(await db.runs.lock(id))) throw new NotFoundError('Run', id);
      const run = await db.runs.findById(id);
      if (!run) throw new NotFoundError('Run', id);
      const ownership = await db.accounts.ownership(run.accountId);
      if (!ownership) throw new Error(`run ${run.id} points at a missing account ${run.accountId}`);
      assertMayActOn(principal, 'runs:cancel', ownership, 'cancel runs');
      if (run.status !== 'running') throw new ConflictError(`This run is already ${run.status}`);
      await this.audit.record(em, principal, {
        action: 'run.cancel_requested',
        entity: { type: 'run', id },
        summary: `${principal.name} cancelled ${run.playbookVersion?.playbook?.name ?? 'a run'} for ${run.account?.name ?? run.accountId}: ${reason}`,
        changes: { before: { status: 'running' }, after: { status: 'cancelled', reason } },
      });
      try {
        await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
          runHandle(this.temporal, run).signal(cancelRunSignal, { cancelledById: principal.id, cancelledByName: principal.name, reason }),
        );
      } catch (error) {
        throw fromTemporalError(error, { notFound: 'This run is no longer running' });
      }
    });
    return this.get(id);
  }

  async emails(runId: string, { limit, cursor }: ListRunEmailsQuery): Promise<SentEmailPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (!(await this.db.runs.exists(runId))) throw new NotFoundError('Run', runId);
    const found = await this.db.sentEmails.listByRun(runId, { take: limit + 1, after });
    return pageOf(found, limit, toSentEmail, (last) => encodeCursor(last.createdAt, last.id));
  }
}
