import { type EntityManager, In } from 'typeorm';
import type { DuePage } from '../approvals/approvals.repository';
import { afterKeyset, dueKey, Params, slaCondition, type SlaStateFilter } from '../work-items/work-item-sql';
import { TaskEntity } from './task.entity';

export interface TaskFilter {
  status?: string;
  assigneeId?: string;
  accountId?: string;
  playbookId?: string;
  /** Only open tasks have one (implies status open). */
  slaState?: SlaStateFilter;
}

/** What a run sets when it opens a task; (runId, nodeId, visit) identifies it. */
export type NewTaskFields = Pick<
  TaskEntity,
  'runId' | 'nodeId' | 'visit' | 'accountId' | 'playbookVersionId' | 'title' | 'ownerSide' | 'ownerRole' | 'assigneeId' | 'completion' | 'dueAt' | 'reason'
>;

/** Joint accountabilities runs open, for our people and the customer's. */
export class TasksRepository {
  constructor(private readonly em: EntityManager) {}

  /** With `forUpdate`, locks the row until the surrounding transaction ends. */
  findById(id: string, options: { forUpdate?: boolean } = {}): Promise<TaskEntity | null> {
    return this.em.findOne(TaskEntity, { where: { id }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** A page in the inbox order: due first, then id (`limit` rows at most). */
  async page(filter: TaskFilter, page: DuePage): Promise<TaskEntity[]> {
    const p = new Params();
    const where: string[] = [];
    if (filter.status) where.push(`t.status = ${p.add(filter.status)}`);
    if (filter.assigneeId) where.push(`t.assignee_id = ${p.add(filter.assigneeId)}::uuid`);
    if (filter.accountId) where.push(`t.account_id = ${p.add(filter.accountId)}::uuid`);
    if (filter.playbookId) where.push(`t.playbook_version_id IN (SELECT v.id FROM playbook_versions v WHERE v.playbook_id = ${p.add(filter.playbookId)}::uuid)`);
    if (filter.slaState) where.push(`t.status = 'open'`, slaCondition(filter.slaState, 't.due_at', null, page.now, page.dueSoonMs, p));
    if (page.after) where.push(afterKeyset('t.due_at', 't.id', page.after, p));
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT t.id FROM tasks t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${dueKey('t.due_at')}, t.id LIMIT ${p.add(page.limit)}`,
      p.values,
    );
    return this.findByIdsInOrder(rows.map((r) => r.id));
  }

  /** The tasks with these ids, in the order given (missing ones left out). */
  async findByIdsInOrder(ids: readonly string[]): Promise<TaskEntity[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.em.findBy(TaskEntity, { id: In([...ids]) })).map((t) => [t.id, t]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Hands an open task to someone else (the run accepted it first); false if it is no longer open. */
  async reassign(id: string, assigneeId: string): Promise<boolean> {
    const result = await this.em.update(TaskEntity, { id, status: 'open' }, { assigneeId });
    return (result.affected ?? 0) > 0;
  }

  /** Hides the task from inbox views until `until` (null: shows it again). */
  async snooze(id: string, until: Date | null, byId: string | null): Promise<void> {
    await this.em.update(TaskEntity, { id }, { snoozedUntil: until, snoozedById: until ? byId : null });
  }

  listByRun(runId: string): Promise<TaskEntity[]> {
    return this.em.find(TaskEntity, { where: { runId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Opens the task once: a second call for the same (run, node, visit) returns the first row. */
  async openOnce(fields: NewTaskFields): Promise<TaskEntity> {
    const { runId, nodeId, visit, accountId, playbookVersionId, title, ownerSide, ownerRole, assigneeId, completion, dueAt, reason } = fields;
    await this.em
      .createQueryBuilder()
      .insert()
      .into(TaskEntity)
      .values({ runId, nodeId, visit, accountId, playbookVersionId, title, ownerSide, ownerRole, assigneeId, completion, dueAt, reason, status: 'open' })
      .orIgnore()
      .execute();
    return this.em.findOneOrFail(TaskEntity, { where: { runId, nodeId, visit } });
  }

  /** Closes a task that is still open (a person's completion recorded first stays); false otherwise. */
  async closeIfOpen(id: string, fields: { status: 'done' | 'cancelled'; note: string | null; at: Date; completedById?: string | null }): Promise<boolean> {
    const result = await this.em
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ status: fields.status, note: fields.note, completedAt: fields.at, ...(fields.completedById !== undefined ? { completedById: fields.completedById } : {}) })
      .where('id = :id AND status = :open', { id, open: 'open' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Records when the run noticed an open task was late (the first time only). */
  async markOverdue(id: string, at: Date): Promise<boolean> {
    const result = await this.em
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ overdueAt: at })
      .where('id = :id AND status = :open AND overdue_at IS NULL', { id, open: 'open' })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
