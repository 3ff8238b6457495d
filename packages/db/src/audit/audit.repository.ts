import type { EntityManager } from 'typeorm';
import type { KeysetPage } from '../common/keyset';
import { AuditEntryEntity } from './audit-entry.entity';

export type NewAuditEntry = Omit<AuditEntryEntity, 'id' | 'at'>;

export interface AuditFilter {
  actorId?: string;
  actorType?: string;
  entityType?: string;
  entityId?: string;
  /** An exact action, or `<entity>.*` for every action on that entity type. */
  action?: string;
  from?: Date;
  to?: Date;
}

/** The audit log: written in the transaction of the change it records, read newest first. */
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  /** One statement, no RETURNING (it is on the path of every change). */
  async insert(entry: NewAuditEntry): Promise<void> {
    await this.em.query(
      `INSERT INTO audit_log (at, actor_type, actor_id, actor_name, action, entity_type, entity_id, summary, changes, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
      [
        // Stamped here to the millisecond, so a page's cursor (a JS date) is exact.
        new Date(),
        entry.actorType,
        entry.actorId,
        entry.actorName,
        entry.action,
        entry.entityType,
        entry.entityId,
        entry.summary,
        entry.changes === null ? null : JSON.stringify(entry.changes),
        entry.requestId,
      ],
    );
  }

  /** Entries matching the filter, newest first (time, then id), after `page.after`. */
  list(filter: AuditFilter, page: KeysetPage<{ at: string }>): Promise<AuditEntryEntity[]> {
    // Entries are stamped to the millisecond (see insert), so the cursor's time is exact.
    const q = this.em.createQueryBuilder(AuditEntryEntity, 'e').orderBy('e.at', 'DESC').addOrderBy('e.id', 'DESC').limit(page.take);
    if (filter.actorId) q.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.actorType) q.andWhere('e.actor_type = :actorType', { actorType: filter.actorType });
    if (filter.entityType) q.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) q.andWhere('e.entity_id = :entityId', { entityId: filter.entityId });
    if (filter.action?.endsWith('.*')) q.andWhere('e.action LIKE :prefix', { prefix: `${filter.action.slice(0, -1)}%` });
    else if (filter.action) q.andWhere('e.action = :action', { action: filter.action });
    if (filter.from) q.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('e.at < :to', { to: filter.to });
    if (page.after) q.andWhere('(e.at, e.id) < (:at::timestamptz, :id::uuid)', page.after);
    return q.getMany();
  }
}
