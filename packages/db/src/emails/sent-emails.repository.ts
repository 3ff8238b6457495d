import type { EntityManager } from 'typeorm';
import { exactTimeOf, type KeysetPage } from '../common/keyset';
import { SentEmailEntity } from './sent-email.entity';

/** The emails runs sent (written by the worker, read by the API). */
export class SentEmailsRepository {
  constructor(private readonly em: EntityManager) {}

  /** A run's emails in the order they were written (created, then id), after `page.after`. */
  listByRun(runId: string, page: KeysetPage<{ at: string }>): Promise<SentEmailEntity[]> {
    const q = this.em.createQueryBuilder(SentEmailEntity, 'e').where('e.run_id = :runId', { runId }).orderBy('e.created_at', 'ASC').addOrderBy('e.id', 'ASC').limit(page.take);
    if (page.after) q.andWhere(`(e.created_at, e.id) > (${exactTimeOf('sent_emails', 'created_at', 'at', 'id')}, :id::uuid)`, page.after);
    return q.getMany();
  }
}
