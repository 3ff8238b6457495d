import type { EntityManager } from 'typeorm';
import { ApprovalEntity } from './approval.entity';

export interface ApprovalFilter {
  status?: string;
  assigneeId?: string;
}

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

  async recordDecision(approval: ApprovalEntity, fields: ApprovalDecisionFields): Promise<ApprovalEntity> {
    approval.status = fields.status;
    approval.decidedById = fields.decidedById;
    approval.decidedAt = fields.decidedAt;
    approval.note = fields.note;
    return this.em.save(approval);
  }
}
