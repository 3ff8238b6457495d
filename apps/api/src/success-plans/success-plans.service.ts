import type { CreateObjectiveRequest, ObjectiveAgreementRequest, SuccessPlan, UpdateObjectiveRequest, UpdateSuccessPlanRequest } from '@cairn/contracts';
import { type Repositories, repositories, StakeholderEntity, SuccessObjectiveEntity } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError, ValidationError } from '../common/errors';
import { toSuccessPlan } from './success-plans.mapper';

/**
 * Success plans: the account's strategy in one line, objectives measured on its data (green or red
 * with the reason) and agreed with a stakeholder, and the joint accountabilities runs opened.
 */
@Injectable()
export class SuccessPlansService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The plan as it stands (an account without one gets an empty plan, created on first read). */
  async get(accountId: string): Promise<SuccessPlan> {
    return this.read(repositories(this.dataSource.manager), accountId);
  }

  async update(accountId: string, { strategy, updatedBy }: UpdateSuccessPlanRequest): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const plan = await this.plan(db, accountId);
      plan.strategy = strategy;
      plan.updatedBy = updatedBy ?? null;
      await em.save(plan);
      return this.read(db, accountId);
    });
  }

  async addObjective(accountId: string, request: CreateObjectiveRequest): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const plan = await this.plan(db, accountId);
      const objective = new SuccessObjectiveEntity();
      objective.planId = plan.id;
      objective.title = request.title;
      objective.description = request.description;
      objective.measure = request.measure;
      objective.targetDate = request.targetDate;
      objective.position = await db.successPlans.nextPosition(plan.id);
      await em.save(objective);
      await this.touch(em, plan.id);
      return this.read(db, accountId);
    });
  }

  async updateObjective(accountId: string, objectiveId: string, change: UpdateObjectiveRequest): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const objective = await this.objective(db, accountId, objectiveId);
      if (change.title !== undefined) objective.title = change.title;
      if (change.description !== undefined) objective.description = change.description;
      if (change.measure !== undefined) objective.measure = change.measure;
      if (change.targetDate !== undefined) objective.targetDate = change.targetDate;
      if (change.override !== undefined) {
        objective.overrideStatus = change.override?.status ?? null;
        objective.overrideNote = change.override?.note ?? null;
        objective.overrideBy = change.override?.by ?? null;
      }
      await em.save(objective);
      await this.touch(em, objective.planId);
      return this.read(db, accountId);
    });
  }

  async removeObjective(accountId: string, objectiveId: string): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const objective = await this.objective(db, accountId, objectiveId);
      await em.remove(objective);
      await this.touch(em, objective.planId);
      return this.read(db, accountId);
    });
  }

  /** Records that the customer agreed to the objective, in the person of one of the account's stakeholders. */
  async agree(accountId: string, objectiveId: string, { stakeholderId, agreedAt }: ObjectiveAgreementRequest): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const objective = await this.objective(db, accountId, objectiveId);
      const stakeholder = await em.findOneBy(StakeholderEntity, { id: stakeholderId, accountId });
      if (!stakeholder) {
        throw new ValidationError('The stakeholder is not in this account’s people map', [{ path: 'body.stakeholderId', code: 'unknown_stakeholder', message: `No stakeholder ${stakeholderId} on this account` }]);
      }
      objective.agreedAt = agreedAt ? new Date(agreedAt) : new Date();
      objective.agreedByStakeholderId = stakeholder.id;
      objective.agreedByName = stakeholder.name;
      await em.save(objective);
      await this.touch(em, objective.planId);
      return this.read(db, accountId);
    });
  }

  private async plan(db: Repositories, accountId: string) {
    if (!(await db.accounts.exists(accountId))) throw new NotFoundError('Account', accountId);
    return db.successPlans.ensure(accountId);
  }

  private async objective(db: Repositories, accountId: string, objectiveId: string): Promise<SuccessObjectiveEntity> {
    const plan = await this.plan(db, accountId);
    const objective = await db.successPlans.findObjective(plan.id, objectiveId);
    if (!objective) throw new NotFoundError('Objective', objectiveId);
    return objective;
  }

  private async touch(em: EntityManager, planId: string): Promise<void> {
    await em.query(`UPDATE success_plans SET updated_at = now() WHERE id = $1`, [planId]);
  }

  private async read(db: Repositories, accountId: string): Promise<SuccessPlan> {
    const plan = await this.plan(db, accountId);
    const [account] = await db.segments.membershipAccounts([accountId]);
    const nowMs = Date.now();
    return toSuccessPlan(plan, await db.successPlans.objectives(plan.id), await db.successPlans.accountabilities(accountId), account.snapshot, nowMs);
  }
}
