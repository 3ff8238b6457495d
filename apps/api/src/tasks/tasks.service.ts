import { type CompleteTaskRequest, DUE_SOON_MS, type ListTasksQuery, type Page, type Task, type TaskWithEngine } from '@cairn/contracts';
import { type Repositories, repositories, TaskEntity } from '@cairn/db';
import { completeTaskUpdate, type DeciderRole, type TaskCompletion } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RunDetails } from '../runs/run-details';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { ConflictError, NotFoundError } from '../common/errors';
import { fromTemporalError, refusalOf, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { decodeDueCursor, encodeDueCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { workItemNames } from '../work-items/work-item-names';
import { WorkItemsService } from '../work-items/work-items.service';
import { runHandle } from '../temporal/run-handle';
import { type TaskNames, toTask } from './tasks.mapper';

@Injectable()
export class TasksService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(RunDetails) private readonly runDetails: RunDetails,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** A page of tasks, due first, then id. */
  async list({ limit, cursor, ...filter }: ListTasksQuery): Promise<Page<Task>> {
    const now = new Date();
    const tasks = await this.db.tasks.page(filter, { limit: limit + 1, now, dueSoonMs: DUE_SOON_MS, ...(cursor ? { after: decodeDueCursor(cursor) } : {}) });
    const names = await this.names(this.db, tasks);
    return pageOf(tasks, limit, (t) => toTask(t, names, now.getTime()), (last) => encodeDueCursor(last.dueAt, last.id));
  }

  async get(id: string): Promise<Task> {
    const task = await this.dataSource.manager.findOneBy(TaskEntity, { id });
    if (!task) throw new NotFoundError('Task', id);
    return toTask(task, await this.names(this.db, [task]));
  }

  /**
   * The signed-in person marks a task done. Like an approval decision: in one transaction with the
   * task row locked, check the row rule (403), record it done with its audit entry, then deliver
   * it to the run as the `completeTask` Update before committing. The run's validator refuses a
   * task it does not hold open, a second completion, or someone who is neither the owner nor a
   * manager, before anything reaches its history: then (409), or if Temporal cannot be reached
   * (503), the completion is rolled back and the task stays open. The answer carries the engine's:
   * what the Update returned, and the run's live state asked once the completion is committed.
   */
  async complete(principal: RequestPrincipal, id: string, { note }: CompleteTaskRequest): Promise<TaskWithEngine> {
    const { task: answer, run, result } = await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const task = await em.findOne(TaskEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError('Task', id);
      const ownership = await db.accounts.ownership(task.accountId, task.assigneeId);
      if (!ownership) throw new Error(`task ${task.id} points at a missing account ${task.accountId}`);
      assertMayActOn(principal, 'tasks:complete', ownership, 'complete tasks');
      // Only a person holds tasks:complete (never a token scope); the engine hears who and in which role.
      if (principal.kind !== 'user' || principal.role === 'viewer') throw new Error('unreachable: tasks:complete without a role that completes');
      if (task.status !== 'open') throw new ConflictError(`This task is already ${task.status}`);
      if (task.completion !== 'person') throw new ConflictError(`This task completes on its own (${task.completion === 'event' ? 'when an event arrives' : 'when a condition on the account holds'}), not by a person`);
      const [run] = await db.runs.findByIds([task.runId]);
      if (!run) throw new Error(`task ${task.id} points at a missing run ${task.runId}`);
      if (run.status !== 'running') throw new ConflictError(`The run of this task is ${run.status}; it no longer waits for it`);

      const done = await this.recordDone(em, task, { completedById: principal.id, note: note ?? null });
      await this.audit.record(em, principal, {
        action: 'task.completed',
        entity: { type: 'task', id: task.id },
        summary: `${principal.name} completed "${task.title}"${note ? `: ${note}` : ''}`,
        changes: { before: { status: 'open' }, after: { status: 'done', note: note ?? null } },
      });
      await WorkItemsService.recordNote(em, 'task', task.id, 'completion', principal.id, note);
      const completion: TaskCompletion = { taskId: task.id, completedById: principal.id, completedByName: principal.name, completedByRole: principal.role satisfies DeciderRole, ...(note ? { note } : {}) };
      // A task may stay open across continue-as-new, so the latest execution of the run's chain holds it.
      const result = await this.temporal.connection
        .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => runHandle(this.temporal, run).executeUpdate(completeTaskUpdate, { args: [completion] }))
        .catch((error: unknown) => {
          const refused = refusalOf(error) ? `The run did not accept this completion: ${refusalOf(error)}` : undefined;
          throw fromTemporalError(error, { notFound: 'The run is no longer waiting for this task', updateRefused: refused });
        });
      return { task: toTask(done, await this.names(db, [done])), run, result };
    });
    return { ...answer, engine: { update: 'completeTask', result, state: await this.runDetails.stateNow(run) } };
  }

  private async recordDone(em: EntityManager, task: TaskEntity, fields: { completedById: string; note: string | null }): Promise<TaskEntity> {
    task.status = 'done';
    task.completedById = fields.completedById;
    task.completedAt = new Date();
    task.note = fields.note;
    return em.save(task);
  }

  /** Account, user and playbook names shown next to tasks (sequential: one connection in a transaction). */
  private names(db: Repositories, tasks: TaskEntity[]): Promise<TaskNames> {
    return workItemNames(db, [], tasks);
  }
}
