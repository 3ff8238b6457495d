import { type EntityManager, In } from 'typeorm';
import { afterKeyset, type DueKeyset, dueKey, Params, slaCondition, type SlaStateFilter } from '../work-items/work-item-sql';
import { ApprovalEntity } from './approval.entity';

export interface ApprovalFilter {
  status?: string;
  assigneeId?: string;
  accountId?: string;
  playbookId?: string;
  /** Only pending approvals have one (implies status pending). */
  slaState?: SlaStateFilter;
}

export interface DuePage {
  limit: number;
  after?: DueKeyset;
  now: Date;
  dueSoonMs: number;
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

  /** A page in the inbox order: due first, undated last, then id (`limit` rows at most). */
  async page(filter: ApprovalFilter, page: DuePage): Promise<ApprovalEntity[]> {
    const p = new Params();
    const where: string[] = [];
    if (filter.status) where.push(`a.status = ${p.add(filter.status)}`);
    if (filter.assigneeId) where.push(`a.assignee_id = ${p.add(filter.assigneeId)}::uuid`);
    if (filter.accountId) where.push(`a.account_id = ${p.add(filter.accountId)}::uuid`);
    if (filter.playbookId) where.push(`a.run_id IN (SELECT r.id FROM runs r WHERE r.playbook_id = ${p.add(filter.playbookId)}::uuid)`);
    if (filter.slaState) where.push(`a.status = 'pending'`, slaCondition(filter.slaState, 'a.due_at', 'a.escalation_level', page.now, page.dueSoonMs, p));
    if (page.after) where.push(afterKeyset('a.due_at', 'a.id', page.after, p));
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT a.id FROM approvals a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${dueKey('a.due_at')} NULLS LAST, a.id LIMIT ${p.add(page.limit)}`,
      p.values,
    );
    return this.findByIdsInOrder(rows.map((r) => r.id));
  }

  /** The approvals with these ids, in the order given (missing ones left out). */
  async findByIdsInOrder(ids: readonly string[]): Promise<ApprovalEntity[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.em.findBy(ApprovalEntity, { id: In([...ids]) })).map((a) => [a.id, a]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Hands a pending approval to someone else (the run accepted it first); false if it is no longer pending. */
  async reassign(id: string, assigneeId: string): Promise<boolean> {
    const result = await this.em.update(ApprovalEntity, { id, status: 'pending' }, { assigneeId });
    return (result.affected ?? 0) > 0;
  }

  /** Hides the approval from inbox views until `until` (null: shows it again). */
  async snooze(id: string, until: Date | null, byId: string | null): Promise<void> {
    await this.em.update(ApprovalEntity, { id }, { snoozedUntil: until, snoozedById: until ? byId : null });
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
