import type { Approval, DecideApprovalRequest } from '@cairn/contracts';
import { type ApprovalEntity, type Repositories, repositories } from '@cairn/db';
import { type ApprovalDecision, type DeciderRole, decideApprovalUpdate } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { ListApprovalsQuery } from '../common/dto';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { runHandle } from '../temporal/run-handle';
import { type ApprovalNames, toApproval } from './approvals.mapper';

@Injectable()
export class ApprovalsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
  }

  async list(filter: ListApprovalsQuery): Promise<Approval[]> {
    const approvals = await this.db.approvals.list(filter);
    const names = await this.names(this.db, approvals);
    return approvals.map((a) => toApproval(a, names));
  }

  async get(id: string): Promise<Approval> {
    const approval = await this.db.approvals.findById(id);
    if (!approval) throw new NotFoundError('Approval', id);
    return toApproval(approval, await this.names(this.db, [approval]));
  }

  /**
   * Records the signed-in person's decision and delivers it to the waiting run as a Temporal
   * Update, inside one transaction with the approval row locked: one decision wins (a second gets
   * 409). The row rule comes first (a CSM decides on accounts they own or where they are the
   * assignee, a manager for their team, ops where assigned, admins anywhere: else 403). The run's
   * validator refuses a decision it is not waiting for before anything reaches its history; then,
   * or if Temporal cannot be reached, the decision and its audit entry are rolled back and the
   * approval stays pending.
   */
  async decide(principal: RequestPrincipal, id: string, { decision, note, editedTouch }: DecideApprovalRequest): Promise<Approval> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const approval = await db.approvals.findById(id, { forUpdate: true });
      if (!approval) throw new NotFoundError('Approval', id);
      const ownership = await db.accounts.ownership(approval.accountId, approval.assigneeId);
      if (!ownership) throw new Error(`approval ${approval.id} points at a missing account ${approval.accountId}`);
      assertMayActOn(principal, 'approvals:decide', ownership, 'decide approvals');
      // Only a person holds approvals:decide (never a token scope); the engine hears who and in which role.
      if (principal.kind !== 'user' || principal.role === 'viewer') throw new Error('unreachable: approvals:decide without a deciding role');
      if (approval.status !== 'pending') throw new ConflictError(`This approval is already ${approval.status}`);
      if (editedTouch && !approval.proposed) {
        throw new ValidationError('This approval has no touch to edit', [{ path: 'body.editedTouch', code: 'nothing_to_edit', message: 'Only an approval of a touch can edit it' }]);
      }
      const [run] = await db.runs.findByIds([approval.runId]);
      if (!run) throw new Error(`approval ${approval.id} points at a missing run ${approval.runId}`);

      // Edit-then-approve: the inbox and history show the touch as it will go out.
      if (editedTouch && approval.proposed) approval.proposed = { ...approval.proposed, ...editedTouch };
      const decided = await db.approvals.recordDecision(approval, { status: decision, decidedById: principal.id, decidedAt: new Date(), note: note ?? null });
      const names = await this.names(db, [decided]);
      await this.audit.record(em, principal, {
        action: 'approval.decided',
        entity: { type: 'approval', id: decided.id },
        summary: `${principal.name} ${decision} "${approval.title}" (${names.accounts.get(approval.accountId) ?? approval.accountId})${editedTouch ? ', with an edited touch' : ''}${note ? `: ${note}` : ''}`,
        changes: { before: { status: 'pending' }, after: { status: decision, note: note ?? null, ...(editedTouch ? { editedTouch } : {}) } },
      });
      const message: ApprovalDecision = {
        approvalId: decided.id,
        decision,
        decidedById: principal.id,
        decidedByName: principal.name,
        decidedByRole: principal.role satisfies DeciderRole,
        ...(note ? { note } : {}),
        ...(editedTouch ? { editedTouch } : {}),
      };
      await this.temporal.connection
        .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
          runHandle(this.temporal, run).executeUpdate(decideApprovalUpdate, { args: [message] }),
        )
        .catch((error: unknown) => {
          throw fromTemporalError(error, { notFound: 'The run is no longer waiting for this approval', updateRefused: 'The run is not waiting for this approval' });
        });
      return toApproval(decided, names);
    });
  }

  /** Account, user and playbook names shown next to approvals (sequential: one connection in a transaction). */
  private async names(db: Repositories, approvals: ApprovalEntity[]): Promise<ApprovalNames> {
    const unique = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => id !== null))];
    const accounts = await db.accounts.namesByIds(unique(approvals.map((a) => a.accountId)));
    const users = await db.users.namesByIds(unique(approvals.flatMap((a) => [a.assigneeId, a.decidedById])));
    const runs = await db.runs.findByIds(unique(approvals.map((a) => a.runId)));
    return {
      accounts,
      users,
      runs: new Map(runs.map((r) => [r.id, { playbookName: r.playbookVersion?.playbook?.name ?? '', version: r.playbookVersion?.version ?? 0 }])),
    };
  }
}
