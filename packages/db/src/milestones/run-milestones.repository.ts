import type { EntityManager } from 'typeorm';
import { RunMilestoneEntity } from './run-milestone.entity';

export type MilestoneFields = Pick<RunMilestoneEntity, 'runId' | 'nodeId' | 'visit' | 'accountId' | 'playbookVersionId' | 'name' | 'targetDay' | 'status' | 'day' | 'reason' | 'recordedAt'>;

/** Success milestones runs reached or missed. */
export class RunMilestonesRepository {
  constructor(private readonly em: EntityManager) {}

  listByRun(runId: string): Promise<RunMilestoneEntity[]> {
    return this.em.find(RunMilestoneEntity, { where: { runId }, order: { recordedAt: 'ASC', id: 'ASC' } });
  }

  listByAccount(accountId: string): Promise<RunMilestoneEntity[]> {
    return this.em.find(RunMilestoneEntity, { where: { accountId }, order: { recordedAt: 'ASC', id: 'ASC' } });
  }

  /** One row per (run, node, visit): a second record of the same visit replaces the first's outcome. */
  async upsert(fields: MilestoneFields): Promise<void> {
    const { runId, nodeId, visit, accountId, playbookVersionId, name, targetDay, status, day, reason, recordedAt } = fields;
    await this.em
      .createQueryBuilder()
      .insert()
      .into(RunMilestoneEntity)
      .values({ runId, nodeId, visit, accountId, playbookVersionId, name, targetDay, status, day, reason, recordedAt })
      .orUpdate(['name', 'target_day', 'status', 'day', 'reason', 'recorded_at'], ['run_id', 'node_id', 'visit'])
      .execute();
  }
}
