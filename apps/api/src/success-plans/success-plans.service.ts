import type { CreateObjectiveRequest, ObjectiveAgreementRequest, SuccessPlan, UpdateObjectiveRequest, UpdateSuccessPlanRequest } from '@cairn/contracts';
import { type Repositories, repositories, StakeholderEntity, SuccessObjectiveEntity } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { NotFoundError, ValidationError } from '../common/errors';
import { toSuccessPlan } from './success-plans.mapper';

/**
 * Success plans: the account's strategy in one line, objectives measured on its data (green or red
 * with the reason) and agreed with a stakeholder, and the joint accountabilities runs opened.
 * Changes are the signed-in person's (a CSM on accounts they own, a CS manager on their team's),
 * each one audit entry in its transaction.
 */
@Injectable()
export class SuccessPlansService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** One change: the row rule first, then the work, then its audit entry, in one transaction. */
  private change(principal: RequestPrincipal, accountId: string, work: (em: EntityManager, db: Repositories) => Promise<AuditRecord>): Promise<SuccessPlan> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const ownership = await db.accounts.ownership(accountId);
      if (!ownership) throw new NotFoundError('Account', accountId);
      assertMayActOn(principal, 'accounts:write', ownership, 'change success plans');
      await this.audit.record(em, principal, await work(em, db));
      return this.read(db, accountId);
    });
  }

  /** The plan as it stands (an account without one gets an empty plan, created on first read). */
  async get(accountId: string): Promise<SuccessPlan> {
    return this.read(repositories(this.dataSource.manager), accountId);
  }

  async update(principal: RequestPrincipal, accountId: string, { strategy }: UpdateSuccessPlanRequest): Promise<SuccessPlan> {
    return this.change(principal, accountId, async (em, db) => {
      const plan = await this.plan(db, accountId);
      const before = plan.strategy;
      plan.strategy = strategy;
      plan.updatedBy = principal.name;
      await em.save(plan);
      return { action: 'success_plan.updated', entity: { type: 'success_plan', id: plan.id }, summary: `${principal.name} set the strategy: ${strategy}`, changes: { before: { strategy: before }, after: { strategy } } };
    });
  }

  async addObjective(principal: RequestPrincipal, accountId: string, request: CreateObjectiveRequest): Promise<SuccessPlan> {
    return this.change(principal, accountId, async (em, db) => {
      const plan = await this.plan(db, accountId);
      const objective = new SuccessObjectiveEntity();
      objective.planId = plan.id;
      objective.title = request.title;
      objective.description = request.description;
      objective.measure = request.measure;
      objective.targetDate = request.targetDate;
      objective.position = await db.successPlans.nextPosition(plan.id);
      const saved = await em.save(objective);
      await this.touch(em, plan.id);
      return {
        action: 'objective.created',
        entity: { type: 'objective', id: saved.id },
        summary: `${principal.name} added the objective "${saved.title}"`,
        changes: { after: { title: saved.title, measure: saved.measure, targetDate: saved.targetDate } },
      };
    });
  }

  async updateObjective(principal: RequestPrincipal, accountId: string, objectiveId: string, change: UpdateObjectiveRequest): Promise<SuccessPlan> {
    return this.change(principal, accountId, async (em, db) => {
      const objective = await this.objective(db, accountId, objectiveId);
      const snapshot = () => ({ title: objective.title, description: objective.description, measure: objective.measure, targetDate: objective.targetDate, override: objective.overrideStatus ? { status: objective.overrideStatus, note: objective.overrideNote, by: objective.overrideBy } : null });
      const before = snapshot();
      if (change.title !== undefined) objective.title = change.title;
      if (change.description !== undefined) objective.description = change.description;
      if (change.measure !== undefined) objective.measure = change.measure;
      if (change.targetDate !== undefined) objective.targetDate = change.targetDate;
      if (change.override !== undefined) {
        objective.overrideStatus = change.override?.status ?? null;
        objective.overrideNote = change.override?.note ?? null;
        // A person's call on the status is theirs: the signed-in person's.
        objective.overrideBy = change.override ? principal.name : null;
      }
      await em.save(objective);
      await this.touch(em, objective.planId);
      return { action: 'objective.updated', entity: { type: 'objective', id: objectiveId }, summary: `${principal.name} changed the objective "${objective.title}": ${Object.keys(change).join(', ')}`, changes: { before, after: snapshot() } };
    });
  }

  async removeObjective(principal: RequestPrincipal, accountId: string, objectiveId: string): Promise<SuccessPlan> {
    return this.change(principal, accountId, async (em, db) => {
      const objective = await this.objective(db, accountId, objectiveId);
      const before = { title: objective.title, measure: objective.measure, targetDate: objective.targetDate };
      await em.remove(objective);
      await this.touch(em, objective.planId);
      return { action: 'objective.removed', entity: { type: 'objective', id: objectiveId }, summary: `${principal.name} removed the objective "${before.title}"`, changes: { before } };
    });
  }

  /** Records that the customer agreed to the objective, in the person of one of the account's stakeholders. */
  async agree(principal: RequestPrincipal, accountId: string, objectiveId: string, { stakeholderId, agreedAt }: ObjectiveAgreementRequest): Promise<SuccessPlan> {
    return this.change(principal, accountId, async (em, db) => {
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
      return {
        action: 'objective.agreed',
        entity: { type: 'objective', id: objectiveId },
        summary: `${principal.name} recorded that ${stakeholder.name} agreed to "${objective.title}"`,
        changes: { after: { agreedAt: objective.agreedAt.toISOString(), agreedByStakeholderId: stakeholder.id } },
      };
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
