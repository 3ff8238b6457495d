import { type EntityManager, In } from 'typeorm';
import { AccountEntity } from './account.entity';
import { SegmentEntity } from '../segments/segment.entity';

/** What a running playbook reads about an account, in one query. */
export interface AccountFactsRow {
  name: string;
  segmentKey: string;
  timezone: string;
  attributes: Record<string, string | number | boolean | null>;
  metrics: Record<string, unknown>;
  /** The roles someone active holds in its people map, each once, in order (who left is not counted). */
  roles: string[];
}

const withPeople = { segment: true, csm: true, stakeholders: true } as const;

/** Queries over customer accounts, loaded with their segment, CSM and people map. */
export class AccountsRepository {
  constructor(private readonly em: EntityManager) {}

  list(): Promise<AccountEntity[]> {
    return this.em.find(AccountEntity, { relations: withPeople, order: { name: 'ASC', stakeholders: { name: 'ASC' } } });
  }

  findById(id: string): Promise<AccountEntity | null> {
    return this.em.findOne(AccountEntity, { where: { id }, relations: withPeople, order: { stakeholders: { name: 'ASC' } } });
  }

  exists(id: string): Promise<boolean> {
    return this.em.existsBy(AccountEntity, { id });
  }

  /** The account's profile and people-map roles in one round trip; null if it does not exist. */
  async facts(id: string): Promise<AccountFactsRow | null> {
    const [row] = await this.em.query(
      `SELECT a.name, s.key AS "segmentKey", a.timezone, a.attributes, a.metrics,
              ARRAY(SELECT DISTINCT p.role FROM stakeholders p WHERE p.account_id = a.id AND p.status = 'active' ORDER BY p.role) AS roles
       FROM accounts a JOIN segments s ON s.id = a.segment_id
       WHERE a.id = $1`,
      [id],
    );
    return (row as AccountFactsRow | undefined) ?? null;
  }

  /**
   * Sets one attribute (jsonb_set, one statement) and returns the value it held before
   * (`undefined` when it had none); `found` is false when the account does not exist.
   */
  async setAttribute(id: string, attribute: string, value: string | number | boolean | null): Promise<{ found: boolean; previous: unknown }> {
    const [row] = await this.em.query(
      `WITH updated AS (
         UPDATE accounts a SET attributes = jsonb_set(a.attributes, ARRAY[$2], $3::jsonb, true), updated_at = now()
         FROM accounts old WHERE a.id = $1 AND old.id = a.id
         RETURNING old.attributes -> $2 AS previous, old.attributes ? $2 AS had
       )
       SELECT (SELECT count(*) FROM updated)::int AS found, (SELECT previous FROM updated) AS previous, (SELECT had FROM updated) AS had`,
      [id, attribute, JSON.stringify(value)],
    );
    return { found: row.found > 0, previous: row.had ? row.previous : undefined };
  }

  /** Every segment key, for checking the segments a playbook names. */
  async segmentKeys(): Promise<string[]> {
    const segments = await this.em.find(SegmentEntity, { select: { key: true }, order: { key: 'ASC' } });
    return segments.map((s) => s.key);
  }

  /** id → name, for labelling rows that reference accounts. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const accounts = await this.em.find(AccountEntity, { where: { id: In([...ids]) }, select: { id: true, name: true } });
    return new Map(accounts.map((a) => [a.id, a.name]));
  }
}
