import type { EntityManager } from 'typeorm';
import { RunActionEntity } from './run-action.entity';

export type NewRunActionFields = Pick<RunActionEntity, 'idempotencyKey' | 'runId' | 'nodeId' | 'visit' | 'playbookVersionId' | 'accountId' | 'kind' | 'target' | 'approvalId' | 'reason'> &
  Partial<Pick<RunActionEntity, 'status' | 'detail'>>;

/** The side effects runs performed other than emails: each one row, keyed by its idempotency key. */
export class RunActionsRepository {
  constructor(private readonly em: EntityManager) {}

  findByKey(idempotencyKey: string): Promise<RunActionEntity | null> {
    return this.em.findOneBy(RunActionEntity, { idempotencyKey });
  }

  listByRun(runId: string): Promise<RunActionEntity[]> {
    return this.em.find(RunActionEntity, { where: { runId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Inserts the action (status `pending` unless given) unless its key exists; returns the row and
   * whether this call created it. A concurrent duplicate waits for the first to commit and finds it.
   */
  async beginOnce(fields: NewRunActionFields): Promise<{ action: RunActionEntity; created: boolean }> {
    const { idempotencyKey, runId, nodeId, visit, playbookVersionId, accountId, kind, target, approvalId, reason } = fields;
    const result = await this.em
      .createQueryBuilder()
      .insert()
      .into(RunActionEntity)
      .values({ idempotencyKey, runId, nodeId, visit, playbookVersionId, accountId, kind, target, approvalId, reason, status: fields.status ?? 'pending', detail: (fields.detail ?? {}) as never })
      .orIgnore()
      .returning('id')
      .execute();
    const created = result.raw.length > 0;
    return { action: await this.em.findOneByOrFail(RunActionEntity, { idempotencyKey }), created };
  }

  /** Merges `detail` into the row's detail and sets its status (`completed_at` once it is final). */
  async update(id: string, status: 'pending' | 'done' | 'failed' | 'skipped', detail: Record<string, unknown> = {}): Promise<RunActionEntity> {
    await this.em.query(
      `UPDATE run_actions SET status = $2, detail = detail || $3::jsonb, completed_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END WHERE id = $1`,
      [id, status, JSON.stringify(detail)],
    );
    return this.em.findOneByOrFail(RunActionEntity, { id });
  }
}
