import type { CancelRunRequest, EnrollRequest, Run, RunSummary, SentEmail } from '@cairn/contracts';
import { type Repositories, repositories } from '@cairn/db';
import { enrollAccount, EnrollmentNotFoundError, type EnrollmentResult } from '@cairn/enrollment';
import { cancelRunSignal } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { ListRunsQuery } from '../common/dto';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { runHandle } from '../temporal/run-handle';
import { RunDetails } from './run-details';
import { fromEnrolledRun, toRun, toRunSummary, toSentEmail } from './runs.mapper';

@Injectable()
export class RunsService {
  private readonly logger = new Logger('Runs');
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(RunDetails) private readonly details: RunDetails,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /**
   * Starts one run of the latest published version for an account, through `enrollAccount` of
   * `@cairn/enrollment` (audience and re-entry policy, one open run per playbook and account, no
   * workflow without its row). A refusal is 409 with its reason; the answer is built from what the
   * enrollment wrote, without reading the run back.
   */
  async enroll(playbookId: string, { accountId, reason }: EnrollRequest): Promise<Run> {
    let result: EnrollmentResult;
    try {
      result = await enrollAccount(
        { dataSource: this.dataSource, temporal: this.temporal, taskQueue: this.config.taskQueue, temporalTimeoutMs: TEMPORAL_CALL_TIMEOUT_MS, warn: (message) => this.logger.warn(message) },
        { accountId, playbookId, enrolledBy: 'api', reason: reason ?? null },
      );
    } catch (error) {
      if (error instanceof EnrollmentNotFoundError) throw new NotFoundError(error.what, error.id);
      throw fromTemporalError(error, {});
    }
    if (result.status === 'skipped') throw new ConflictError(result.reason);
    return fromEnrolledRun(result.run);
  }

  async list(filter: ListRunsQuery): Promise<RunSummary[]> {
    return (await this.db.runs.list(filter)).map(toRunSummary);
  }

  /** With `live`, asks the running workflow for its state (GET /api/runs/:id); otherwise `live` is null. */
  async get(id: string, options: { live?: boolean } = {}): Promise<Run> {
    const run = await this.db.runs.findById(id);
    if (!run) throw new NotFoundError('Run', id);
    return toRun(run, await this.db.runs.steps(id), await this.details.of(run, options));
  }

  /**
   * A person stops a running run. The workflow ends wherever it is, closes a pending approval and
   * records who cancelled it and why; the answer is 202 because that happens a moment later.
   */
  async cancel(id: string, { cancelledById, reason }: CancelRunRequest): Promise<Run> {
    const run = await this.db.runs.findById(id);
    if (!run) throw new NotFoundError('Run', id);
    if (run.status !== 'running') throw new ConflictError(`This run is already ${run.status}`);
    const user = await this.db.users.findById(cancelledById);
    if (!user) throw new ValidationError('The cancelling user does not exist', [{ path: 'body.cancelledById', code: 'unknown_user', message: `No user ${cancelledById}` }]);
    try {
      await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        runHandle(this.temporal, run).signal(cancelRunSignal, { cancelledById: user.id, cancelledByName: user.name, reason }),
      );
    } catch (error) {
      throw fromTemporalError(error, { notFound: 'This run is no longer running' });
    }
    return this.get(id);
  }

  async emails(runId: string): Promise<SentEmail[]> {
    if (!(await this.db.runs.exists(runId))) throw new NotFoundError('Run', runId);
    return (await this.db.sentEmails.listByRun(runId)).map(toSentEmail);
  }
}
