import { decideApprovalRequestSchema, idParamSchema, listApprovalsQuerySchema } from '@cairn/contracts';
import { AccountEntity, ApprovalEntity, RunEntity, UserEntity } from '@cairn/db';
import { approvalDecisionSignal } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { parseRequest } from '../common/validation';
import { type ApprovalNames, toApproval } from './approvals.mapper';

@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  async list(query: unknown) {
    const { status, assigneeId } = parseRequest(listApprovalsQuerySchema, query, 'query');
    const approvals = await this.dataSource.getRepository(ApprovalEntity).find({
      where: { ...(status ? { status } : {}), ...(assigneeId ? { assigneeId } : {}) },
      // The inbox: what is due first, then the oldest.
      order: { dueAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC' },
      take: 500,
    });
    const names = await this.names(this.dataSource.manager, approvals);
    return approvals.map((a) => toApproval(a, names));
  }

  async get(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const approval = await this.dataSource.getRepository(ApprovalEntity).findOneBy({ id });
    if (!approval) throw new NotFoundError('Approval', id);
    return toApproval(approval, await this.names(this.dataSource.manager, [approval]));
  }

  /**
   * Records the decision and signals the waiting run inside one transaction: if the signal cannot
   * be delivered, the decision is rolled back and the approval stays pending.
   */
  async decide(params: unknown, body: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const { decision, decidedById, note } = parseRequest(decideApprovalRequestSchema, body, 'body');
    return this.dataSource.transaction(async (em) => {
      const approval = await em.findOne(ApprovalEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!approval) throw new NotFoundError('Approval', id);
      if (approval.status !== 'pending') throw new ConflictError(`This approval is already ${approval.status}`);
      const decider = await em.findOneBy(UserEntity, { id: decidedById });
      if (!decider) throw new ValidationError('The deciding user does not exist', [{ path: 'body.decidedById', message: `No user ${decidedById}` }]);
      const run = await em.findOneByOrFail(RunEntity, { id: approval.runId });

      approval.status = decision;
      approval.decidedById = decider.id;
      approval.decidedAt = new Date();
      approval.note = note ?? null;
      await em.save(approval);
      await this.temporal.workflow
        .getHandle(run.workflowId, run.temporalRunId ?? undefined)
        .signal(approvalDecisionSignal, { approvalId: approval.id, decision, decidedById: decider.id, decidedByName: decider.name, ...(note ? { note } : {}) });
      return toApproval(approval, await this.names(em, [approval]));
    });
  }

  private async names(em: EntityManager, approvals: ApprovalEntity[]): Promise<ApprovalNames> {
    const unique = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => id !== null))];
    const accountIds = unique(approvals.map((a) => a.accountId));
    const userIds = unique(approvals.flatMap((a) => [a.assigneeId, a.decidedById]));
    const runIds = unique(approvals.map((a) => a.runId));
    // Sequential: inside a transaction the manager holds a single connection.
    const accounts = accountIds.length ? await em.find(AccountEntity, { where: { id: In(accountIds) }, select: { id: true, name: true } }) : [];
    const users = userIds.length ? await em.find(UserEntity, { where: { id: In(userIds) }, select: { id: true, name: true } }) : [];
    const runs = runIds.length ? await em.find(RunEntity, { where: { id: In(runIds) }, relations: { playbookVersion: { playbook: true } } }) : [];
    return {
      accounts: new Map(accounts.map((a) => [a.id, a.name])),
      users: new Map(users.map((u) => [u.id, u.name])),
      runs: new Map(runs.map((r) => [r.id, { playbookName: r.playbookVersion?.playbook?.name ?? '', version: r.playbookVersion?.version ?? 0 }])),
    };
  }
}
