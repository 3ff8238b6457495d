import type { EntityManager } from 'typeorm';
import { TaskEntity } from './task.entity';

/** What a run sets when it opens a task; (runId, nodeId, visit) identifies it. */
export type NewTaskFields = Pick<
  TaskEntity,
  'runId' | 'nodeId' | 'visit' | 'accountId' | 'playbookVersionId' | 'title' | 'ownerSide' | 'ownerRole' | 'assigneeId' | 'completion' | 'dueAt' | 'reason'
>;

/** Joint accountabilities runs open, for our people and the customer's. */
export class TasksRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<TaskEntity | null> {
    return this.em.findOneBy(TaskEntity, { id });
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
