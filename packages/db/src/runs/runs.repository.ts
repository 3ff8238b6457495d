import { type EntityManager, In } from 'typeorm';
import { RunStepEntity } from './run-step.entity';
import { RunEntity } from './run.entity';

/** What a caller sets when a run starts; status, timestamps and progress are the engine's. */
export type NewRunFields = Pick<RunEntity, 'workflowId' | 'playbookId' | 'playbookVersionId' | 'accountId' | 'enrolledBy' | 'reason'>;

export interface RunFilter {
  accountId?: string;
  playbookId?: string;
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

  /** Newest first, loaded with the playbook version and account they belong to. */
  list(filter: RunFilter = {}, limit = 500): Promise<RunEntity[]> {
    return this.em.find(RunEntity, {
      where: { ...(filter.accountId ? { accountId: filter.accountId } : {}), ...(filter.playbookId ? { playbookId: filter.playbookId } : {}) },
      relations: withLabels,
      select: labelColumns,
      order: { startedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
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

  /** The step history in the order it happened. */
  steps(runId: string): Promise<RunStepEntity[]> {
    return this.em.find(RunStepEntity, { where: { runId }, order: { startedAt: 'ASC', visit: 'ASC', id: 'ASC' } });
  }

  /**
   * Inserts a running run. Throws the driver's unique violation on `runs_one_active_per_account`
   * when the account already has a running run of this playbook.
   */
  async insertRunning(fields: NewRunFields): Promise<RunEntity> {
    const { workflowId, playbookId, playbookVersionId, accountId, enrolledBy, reason } = fields;
    return this.em.save(
      this.em.create(RunEntity, { workflowId, playbookId, playbookVersionId, accountId, enrolledBy, reason, status: 'running', currentNodeId: null, temporalRunId: null, endedAt: null }),
    );
  }

  async setTemporalRunId(id: string, temporalRunId: string): Promise<void> {
    await this.em.update(RunEntity, { id }, { temporalRunId });
  }
}
