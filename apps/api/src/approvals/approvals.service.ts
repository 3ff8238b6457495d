import { type Approval, type ApprovalWithEngine, type DecideApprovalRequest, DUE_SOON_MS, type ListApprovalsQuery, type Page } from '@cairn/contracts';
import { type ApprovalEntity, type Repositories, repositories } from '@cairn/db';
import { type ApprovalDecision, type DeciderRole, decideApprovalUpdate } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RunDetails } from '../runs/run-details';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { runHandle } from '../temporal/run-handle';
import { decodeDueCursor, encodeDueCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { workItemNames } from '../work-items/work-item-names';
import { WorkItemsService } from '../work-items/work-items.service';
import { type ApprovalNames, toApproval } from './approvals.mapper';

@Injectable()
export class ApprovalsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(RunDetails) private readonly runDetails: RunDetails,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** A page of approvals, due first (undated last), then id. */
  async list({ limit, cursor, ...filter }: ListApprovalsQuery): Promise<Page<Approval>> {
    const now = new Date();
    const approvals = await this.db.approvals.page(filter, { limit: limit + 1, now, dueSoonMs: DUE_SOON_MS, ...(cursor ? { after: decodeDueCursor(cursor) } : {}) });
    const names = await this.names(this.db, approvals);
    return pageOf(approvals, limit, (a) => toApproval(a, names, now.getTime()), (last) => encodeDueCursor(last.dueAt, last.id));
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
   * approval stays pending. The answer carries the engine's: what the Update returned, and the
   * run's live state asked once the decision is committed (where the run went next).
   */
  async decide(principal: RequestPrincipal, id: string, { decision, note, editedTouch }: DecideApprovalRequest): Promise<ApprovalWithEngine> {
    const { approval, run, result } = await this.dataSource.transaction(async (em) => {
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
      await WorkItemsService.recordNote(em, 'approval', decided.id, 'decision', principal.id, note);
      const message: ApprovalDecision = {
        approvalId: decided.id,
        decision,
        decidedById: principal.id,
        decidedByName: principal.name,
        decidedByRole: principal.role satisfies DeciderRole,
        ...(note ? { note } : {}),
        ...(editedTouch ? { editedTouch } : {}),
      };
      const result = await this.temporal.connection
        .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
          runHandle(this.temporal, run).executeUpdate(decideApprovalUpdate, { args: [message] }),
        )
        .catch((error: unknown) => {
          throw fromTemporalError(error, { notFound: 'The run is no longer waiting for this approval', updateRefused: 'The run is not waiting for this approval' });
        });
      return { approval: toApproval(decided, names), run, result };
    });
    return { ...approval, engine: { update: 'decideApproval', result, state: await this.runDetails.stateNow(run) } };
  }

  /** Account, user and playbook names shown next to approvals (sequential: one connection in a transaction). */
  private names(db: Repositories, approvals: ApprovalEntity[]): Promise<ApprovalNames> {
    return workItemNames(db, approvals, []);
  }
}
