import type { EntityManager } from 'typeorm';
import type { KeysetPage } from '../common/keyset';
import { AccountFieldEntity } from './account-field.entity';

/** An attribute value as an account holds it, with the account's name for messages. */
export interface StoredAttributeValue {
  accountId: string;
  accountName: string;
  value: unknown;
}

/** Queries over the workspace's schema of account attributes. */
export class AccountFieldsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Every field, in order. `share` locks them for the transaction, so the schema a write was
   * checked against cannot change before it commits (fields are always locked before accounts).
   */
  list(options: { lock?: 'share' } = {}): Promise<AccountFieldEntity[]> {
    return this.em.find(AccountFieldEntity, { order: { position: 'ASC', key: 'ASC' }, ...(options.lock ? { lock: { mode: 'pessimistic_read' as const } } : {}) });
  }

  /** Fields in order (position, then key), optionally of one type or only built-in or custom ones, after `page.after` (its `id` is the key). */
  page(filter: { type?: string; builtIn?: boolean }, page: KeysetPage<{ position: number }>): Promise<AccountFieldEntity[]> {
    const q = this.em.createQueryBuilder(AccountFieldEntity, 'f').orderBy('f.position', 'ASC').addOrderBy('f.key', 'ASC').limit(page.take);
    if (filter.type) q.andWhere('f.type = :type', { type: filter.type });
    if (filter.builtIn !== undefined) q.andWhere('f.built_in = :builtIn', { builtIn: filter.builtIn });
    if (page.after) q.andWhere('(f.position, f.key) > (:position::int, :id)', page.after);
    return q.getMany();
  }

  /** One field, locked for a change of its definition. */
  findForUpdate(key: string): Promise<AccountFieldEntity | null> {
    return this.em.findOne(AccountFieldEntity, { where: { key }, lock: { mode: 'pessimistic_write' } });
  }

  async nextPosition(): Promise<number> {
    const [row] = await this.em.query(`SELECT coalesce(max(position), 0) + 1 AS next FROM account_fields`);
    return Number(row.next);
  }

  /** Every account holding a value for the key (null included), locked, by name. */
  async valuesOf(key: string): Promise<StoredAttributeValue[]> {
    const rows: Array<{ id: string; name: string; value: unknown }> = await this.em.query(
      `SELECT id, name, attributes -> $1 AS value FROM accounts WHERE attributes ? $1 ORDER BY name, id FOR UPDATE`,
      [key],
    );
    return rows.map((r) => ({ accountId: r.id, accountName: r.name, value: r.value }));
  }

  /** Accounts with no value for the key (absent or null), by name. */
  async accountsWithout(key: string): Promise<Array<{ accountId: string; accountName: string }>> {
    const rows: Array<{ id: string; name: string }> = await this.em.query(
      `SELECT id, name FROM accounts WHERE coalesce(jsonb_typeof(attributes -> $1), 'null') = 'null' ORDER BY name, id FOR UPDATE`,
      [key],
    );
    return rows.map((r) => ({ accountId: r.id, accountName: r.name }));
  }

  /** Writes converted values of one attribute, one statement for all accounts. */
  async rewriteValues(key: string, values: ReadonlyArray<{ accountId: string; value: string | number | boolean }>): Promise<void> {
    if (values.length === 0) return;
    await this.em.query(
      `UPDATE accounts a SET attributes = jsonb_set(a.attributes, ARRAY[$1], v.value, true), updated_at = now()
       FROM jsonb_to_recordset($2::jsonb) AS v(account_id uuid, value jsonb)
       WHERE a.id = v.account_id`,
      [key, JSON.stringify(values.map((v) => ({ account_id: v.accountId, value: v.value })))],
    );
  }
}
