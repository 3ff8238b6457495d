import type { CancelRunRequest, EnrollRequest, Run, RunSummary, SentEmail } from '@cairn/contracts';
import { type Repositories, repositories } from '@cairn/db';
import { cancelRunSignal, PLAYBOOK_RUN_WORKFLOW, playbookRunWorkflowId, type PlaybookRunInput } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { ListRunsQuery } from '../common/dto';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { API_CONFIG, type ApiConfig } from '../config';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { RunDetails } from './run-details';
import { toRun, toRunSummary, toSentEmail } from './runs.mapper';

const ALREADY_RUNNING = 'This playbook is already running for this account';

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
   * Starts one run of the latest published version for an account. In one transaction: insert the
   * run (the partial unique index `runs_one_active_per_account` allows one running run per
   * account), start the workflow (its id is per playbook and account, so Temporal refuses a
   * second one too), store Temporal's run id, commit. Any failure rolls the row back; if the
   * commit itself fails after the workflow started, the workflow is terminated again.
   */
  async enroll(playbookId: string, { accountId, reason }: EnrollRequest): Promise<Run> {
    const playbook = await this.db.playbooks.findById(playbookId);
    if (!playbook) throw new NotFoundError('Playbook', playbookId);
    const version = await this.db.playbooks.latestVersion(playbookId);
    if (!version) throw new ConflictError(`"${playbook.name}" has no published version yet; publish it before enrolling accounts`);
    if (!(await this.db.accounts.exists(accountId))) throw new NotFoundError('Account', accountId);

    const workflowId = playbookRunWorkflowId(playbookId, accountId);
    let started: WorkflowHandle | undefined;
    try {
      const runId = await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        const run = await db.runs
          .insertRunning({ workflowId, playbookId, playbookVersionId: version.id, accountId, enrolledBy: 'api', reason: reason ?? null })
          .catch((error: unknown) => {
            throw isUniqueViolation(error, 'runs_one_active_per_account') ? new ConflictError(ALREADY_RUNNING, { cause: error }) : error;
          });
        const input: PlaybookRunInput = { runId: run.id, playbookVersionId: version.id, accountId, plan: version.plan };
        const handle = await this.temporal.connection
          .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
            this.temporal.workflow.start(PLAYBOOK_RUN_WORKFLOW, {
              taskQueue: this.config.taskQueue,
              workflowId,
              args: [input],
              workflowIdConflictPolicy: 'FAIL',
              workflowIdReusePolicy: 'ALLOW_DUPLICATE',
              memo: { runId: run.id, playbookKey: playbook.key, version: version.version },
            }),
          )
          .catch((error: unknown) => {
            throw fromTemporalError(error, { alreadyStarted: ALREADY_RUNNING });
          });
        started = handle;
        await db.runs.setTemporalRunId(run.id, handle.firstExecutionRunId);
        return run.id;
      });
      return await this.get(runId);
    } catch (error) {
      if (started) await this.terminateOrphan(started, error);
      throw error;
    }
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
        this.temporal.workflow.getHandle(run.workflowId, run.temporalRunId ?? undefined).signal(cancelRunSignal, { cancelledById: user.id, cancelledByName: user.name, reason }),
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

  /** The workflow started but its run row did not commit: stop it so nothing runs unrecorded. */
  private async terminateOrphan(handle: WorkflowHandle, cause: unknown): Promise<void> {
    try {
      await handle.terminate('The enrollment was rolled back');
    } catch (error) {
      this.logger.error(`Could not terminate orphan workflow ${handle.workflowId} after a failed enrollment (${String(cause)}): ${String(error)}`);
    }
  }
}
