import type { EntityManager } from 'typeorm';
import { ApprovalEntity } from './approval.entity';

export interface ApprovalFilter {
  status?: string;
  assigneeId?: string;
}

/** What a run sets when it opens an approval; (runId, nodeId, visit) identifies it. */
export type NewApprovalFields = Pick<ApprovalEntity, 'runId' | 'nodeId' | 'visit' | 'accountId' | 'assigneeId' | 'title' | 'proposed' | 'dueAt'>;

/** How a run closes an approval nobody decided. */
export type ApprovalResolution = 'expired' | 'auto_approved' | 'auto_skipped' | 'cancelled';
const STATUS_OF: Record<ApprovalResolution, string> = { expired: 'expired', auto_approved: 'approved', auto_skipped: 'rejected', cancelled: 'cancelled' };

export interface ApprovalDecisionFields {
  status: 'approved' | 'rejected';
  decidedById: string;
  decidedAt: Date;
  note: string | null;
}

/** The approvals inbox and the decisions taken on it. */
export class ApprovalsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The inbox order: what is due first, then the oldest. */
  list(filter: ApprovalFilter = {}, limit = 500): Promise<ApprovalEntity[]> {
    return this.em.find(ApprovalEntity, {
      where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}) },
      order: { dueAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** With `forUpdate`, locks the row until the surrounding transaction ends (one decision wins). */
  findById(id: string, options: { forUpdate?: boolean } = {}): Promise<ApprovalEntity | null> {
    return this.em.findOne(ApprovalEntity, { where: { id }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** Opens the approval once: a second call for the same (run, node, visit) returns the first row. */
  async openOnce(fields: NewApprovalFields): Promise<ApprovalEntity> {
    const { runId, nodeId, visit, accountId, assigneeId, title, proposed, dueAt } = fields;
    await this.em
      .createQueryBuilder()
      .insert()
      .into(ApprovalEntity)
      .values({ runId, nodeId, visit, accountId, assigneeId, title, proposed, dueAt, status: 'pending' })
      .orIgnore()
      .execute();
    return this.em.findOneOrFail(ApprovalEntity, { where: { runId, nodeId, visit } });
  }

  /**
   * Closes a still-pending approval without a person (`expired`, `approved` or `rejected` by the
   * run, or `cancelled`) and returns its status afterwards: a decision committed first wins, and one
   * being recorded (its row locked) is waited for.
   */
  async resolveIfPending(id: string, resolution: ApprovalResolution, note: string | null): Promise<string | null> {
    const closed = await this.em
      .createQueryBuilder()
      .update(ApprovalEntity)
      .set({ status: STATUS_OF[resolution], resolution, ...(note === null ? {} : { note }), decidedAt: () => 'now()' })
      .where('id = :id AND status = :pending', { id, pending: 'pending' })
      .execute();
    if ((closed.affected ?? 0) > 0) return STATUS_OF[resolution];
    // Read in a new statement: its snapshot sees the decision that won (committed while we waited).
    const current = await this.em.findOne(ApprovalEntity, { where: { id }, select: { id: true, status: true } });
    return current?.status ?? null;
  }

  /** Marks an escalation step on a pending approval (and hands it to `assigneeId` when given); false if it is no longer pending. */
  async escalate(id: string, level: number, assigneeId?: string | null): Promise<boolean> {
    const [row] = await this.em.query(
      `WITH escalated AS (
         UPDATE approvals SET escalation_level = GREATEST(escalation_level, $2), assignee_id = CASE WHEN $3 THEN $4::uuid ELSE assignee_id END
         WHERE id = $1 AND status = 'pending' RETURNING 1
       )
       SELECT count(*)::int AS n FROM escalated`,
      [id, level, assigneeId !== undefined, assigneeId ?? null],
    );
    return row.n > 0;
  }

  async recordDecision(approval: ApprovalEntity, fields: ApprovalDecisionFields): Promise<ApprovalEntity> {
    approval.status = fields.status;
    approval.decidedById = fields.decidedById;
    approval.decidedAt = fields.decidedAt;
    approval.note = fields.note;
    return this.em.save(approval);
  }
}
