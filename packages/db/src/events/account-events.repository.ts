import type { EntityManager } from 'typeorm';
import { exactTimeOf, type KeysetPage } from '../common/keyset';
import { AccountEventEntity } from './account-event.entity';

/** Reads of the events accounts received (ingestion writes them in the API's events service). */
export class AccountEventsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * An account's events, newest first (when they happened, then id), after `page.after`; `type`
   * is one type or every type under a prefix (`product.*`).
   */
  listForAccount(accountId: string, filter: { type?: string }, page: KeysetPage<{ at: string }>): Promise<AccountEventEntity[]> {
    const q = this.em
      .createQueryBuilder(AccountEventEntity, 'e')
      .where('e.account_id = :accountId', { accountId })
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(page.take);
    if (filter.type?.endsWith('.*')) q.andWhere('starts_with(e.type, :prefix)', { prefix: filter.type.slice(0, -1) });
    else if (filter.type) q.andWhere('e.type = :type', { type: filter.type });
    if (page.after) q.andWhere(`(e.occurred_at, e.id) < (${exactTimeOf('account_events', 'occurred_at', 'at', 'id')}, :id::uuid)`, page.after);
    return q.getMany();
  }
}
