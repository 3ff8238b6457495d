import type { EntityManager } from 'typeorm';
import { TaskEntity } from '../tasks/task.entity';
import { SuccessObjectiveEntity } from './success-objective.entity';
import { SuccessPlanEntity } from './success-plan.entity';

/** Success plans, their objectives, and the joint accountabilities (tasks) runs opened for the account. */
export class SuccessPlansRepository {
  constructor(private readonly em: EntityManager) {}

  findByAccount(accountId: string): Promise<SuccessPlanEntity | null> {
    return this.em.findOneBy(SuccessPlanEntity, { accountId });
  }

  /** The account's plan, created empty the first time (one per account; concurrent first calls meet on the unique key). */
  async ensure(accountId: string): Promise<SuccessPlanEntity> {
    await this.em.query(`INSERT INTO success_plans (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING`, [accountId]);
    return this.em.findOneByOrFail(SuccessPlanEntity, { accountId });
  }

  objectives(planId: string): Promise<SuccessObjectiveEntity[]> {
    return this.em.find(SuccessObjectiveEntity, { where: { planId }, order: { position: 'ASC', createdAt: 'ASC' } });
  }

  findObjective(planId: string, id: string): Promise<SuccessObjectiveEntity | null> {
    return this.em.findOneBy(SuccessObjectiveEntity, { planId, id });
  }

  async nextPosition(planId: string): Promise<number> {
    const [row] = await this.em.query(`SELECT coalesce(max(position), -1) + 1 AS next FROM success_objectives WHERE plan_id = $1`, [planId]);
    return Number(row.next);
  }

  /** Open tasks, and those closed in the last 90 days, of the account, by due date. */
  accountabilities(accountId: string): Promise<TaskEntity[]> {
    return this.em
      .createQueryBuilder(TaskEntity, 't')
      .where('t.account_id = :accountId', { accountId })
      .andWhere(`(t.status = 'open' OR t.completed_at > now() - interval '90 days')`)
      .orderBy('t.due_at', 'ASC')
      .getMany();
  }
}
