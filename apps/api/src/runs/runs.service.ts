import { enrollRequestSchema, idParamSchema, uuidSchema } from '@cairn/contracts';
import { AccountEntity, PlaybookEntity, PlaybookVersionEntity, RunEntity, RunStepEntity, SentEmailEntity } from '@cairn/db';
import { PLAYBOOK_RUN_WORKFLOW, playbookRunWorkflowId, type PlaybookRunInput } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { parseRequest } from '../common/validation';
import { API_CONFIG, type ApiConfig } from '../config';
import { toRun, toRunSummary, toSentEmail } from './runs.mapper';

const listRunsQuerySchema = z.object({ accountId: uuidSchema.optional(), playbookId: uuidSchema.optional() }).strict();
const runRelations = { playbookVersion: { playbook: true }, account: true } as const;

@Injectable()
export class RunsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /**
   * Starts one run of the latest published version for an account. The run row is written first
   * (its partial unique index allows one open run per account), then the workflow is started; if
   * Temporal refuses, the row is removed again so nothing is half-written.
   */
  async enroll(params: unknown, body: unknown) {
    const { id: playbookId } = parseRequest(idParamSchema, params, 'params');
    const { accountId, reason } = parseRequest(enrollRequestSchema, body, 'body');
    const playbook = await this.dataSource.getRepository(PlaybookEntity).findOneBy({ id: playbookId });
    if (!playbook) throw new NotFoundError('Playbook', playbookId);
    const version = await this.dataSource.getRepository(PlaybookVersionEntity).findOne({ where: { playbookId }, order: { version: 'DESC' } });
    if (!version) throw new ConflictError(`"${playbook.name}" has no published version yet; publish it before enrolling accounts`);
    const account = await this.dataSource.getRepository(AccountEntity).findOneBy({ id: accountId });
    if (!account) throw new NotFoundError('Account', accountId);

    const workflowId = playbookRunWorkflowId(playbookId, accountId);
    const alreadyRunning = () => new ConflictError(`${account.name} is already in a running "${playbook.name}" playbook`);
    let run: RunEntity;
    try {
      run = await this.dataSource.getRepository(RunEntity).save(
        this.dataSource.getRepository(RunEntity).create({
          workflowId,
          temporalRunId: null,
          playbookId,
          playbookVersionId: version.id,
          accountId,
          status: 'running',
          currentNodeId: null,
          enrolledBy: 'api',
          reason: reason ?? null,
          endedAt: null,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'runs_one_active_per_account')) throw alreadyRunning();
      throw error;
    }

    const input: PlaybookRunInput = { runId: run.id, playbookVersionId: version.id, accountId, plan: version.plan };
    try {
      const handle = await this.temporal.workflow.start(PLAYBOOK_RUN_WORKFLOW, {
        taskQueue: this.config.taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { runId: run.id, playbookKey: playbook.key, version: version.version },
      });
      await this.dataSource.getRepository(RunEntity).update({ id: run.id }, { temporalRunId: handle.firstExecutionRunId });
    } catch (error) {
      await this.dataSource.getRepository(RunEntity).delete({ id: run.id });
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw alreadyRunning();
      throw error;
    }
    return this.get({ id: run.id });
  }

  async list(query: unknown) {
    const { accountId, playbookId } = parseRequest(listRunsQuerySchema, query, 'query');
    const runs = await this.dataSource.getRepository(RunEntity).find({
      where: { ...(accountId ? { accountId } : {}), ...(playbookId ? { playbookId } : {}) },
      relations: runRelations,
      order: { startedAt: 'DESC' },
      take: 500,
    });
    return runs.map(toRunSummary);
  }

  async get(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const run = await this.dataSource.getRepository(RunEntity).findOne({ where: { id }, relations: runRelations });
    if (!run) throw new NotFoundError('Run', id);
    const steps = await this.dataSource.getRepository(RunStepEntity).find({ where: { runId: id }, order: { startedAt: 'ASC', visit: 'ASC' } });
    return toRun(run, steps);
  }

  async emails(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    if (!(await this.dataSource.getRepository(RunEntity).existsBy({ id }))) throw new NotFoundError('Run', id);
    const emails = await this.dataSource.getRepository(SentEmailEntity).find({ where: { runId: id }, order: { createdAt: 'ASC' } });
    return emails.map(toSentEmail);
  }
}
