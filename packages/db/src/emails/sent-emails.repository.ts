import type { EntityManager } from 'typeorm';
import { SentEmailEntity } from './sent-email.entity';

/** The emails runs sent (written by the worker, read by the API). */
export class SentEmailsRepository {
  constructor(private readonly em: EntityManager) {}

  listByRun(runId: string): Promise<SentEmailEntity[]> {
    return this.em.find(SentEmailEntity, { where: { runId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
