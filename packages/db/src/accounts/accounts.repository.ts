import { type EntityManager, In } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { AccountEntity } from './account.entity';
import { SegmentEntity } from '../segments/segment.entity';
import { AccountExternalIdEntity } from './account-external-id.entity';
import { containsPattern, type KeysetPage } from '../common/keyset';

/** What a running playbook reads about an account, in one query. */
export interface AccountFactsRow {
  name: string;
  segmentKey: string;
  timezone: string;
  attributes: Record<string, string | number | boolean | null>;
  metrics: Record<string, unknown>;
  /** The roles someone active holds in its people map, each once, in order (who left is not counted). */
  roles: string[];
  healthStatus: string | null;
  healthScore: number | null;
}

/** Who is in a segment (`AccountsRepository.segmentMembers`). */
export interface SegmentMembers {
  segment: { id: string; key: string; name: string };
  /** Account ids, ordered by account name (at most the limit asked for). */
  accountIds: string[];
  /** How many accounts the segment has (may exceed `accountIds.length`). */
  total: number;
}

const withPeople = { segment: true, assignedSegment: true, csm: true, stakeholders: true, externalIds: true } as const;

/** What `GET /api/accounts` filters on; each given one must hold. */
export interface AccountFilter {
  /** In the name or an external id, case-insensitive. */
  q?: string;
  csmId?: string;
  /** A segment the account is in now. */
  segmentId?: string;
  lifecycleStage?: string;
  /** A rating, or `none` for accounts without one. */
  health?: string;
  /** The `renewal_date` attribute: on or after. */
  renewalAfter?: string;
  /** The `renewal_date` attribute: strictly before. */
  renewalBefore?: string;
}

/** An account's row as an import or a create writes it (its id chosen by the caller). */
export interface AccountWrite {
  id: string;
  name: string;
  domain: string | null;
  /** The manual segment; the account's own segment (segment_id) follows from membership. */
  assignedSegmentId: string;
  csmId: string | null;
  timezone: string;
  attributes: Record<string, string | number | boolean | null>;
  metrics?: Record<string, number>;
  healthStatus: string | null;
  healthScore: number | null;
}

export interface ExternalIdWrite {
  accountId: string;
  system: string;
  externalId: string;
}

/** An account as an import compares it, with its external ids. */
export type StoredAccountRow = Omit<AccountWrite, 'metrics'> & { externalIds: Record<string, string> };

/**
 * Imports, creations and external-id changes hold this transaction-level advisory lock, so which
 * account an external id names cannot change between reading it and writing.
 */
const EXTERNAL_IDS_LOCK = 'cairn.accounts.external_ids';

/** Who a row of an account belongs to, for the access rules: the account's CSM and an assignee, with their managers. */
export interface AccountOwnershipRow {
  accountCsmId: string | null;
  accountCsmManagerId: string | null;
  assigneeId: string | null;
  assigneeManagerId: string | null;
}

/** Queries over customer accounts, loaded with their segment, CSM and people map. */
export class AccountsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Accounts matching the filter by name (then id), after `page.after`, loaded with their people and segments. */
  async page(filter: AccountFilter, page: KeysetPage<{ name: string }>): Promise<AccountEntity[]> {
    const q = this.em.createQueryBuilder(AccountEntity, 'a').select('a.id', 'id').orderBy('a.name', 'ASC').addOrderBy('a.id', 'ASC').limit(page.take);
    if (filter.q) {
      q.andWhere(`(a.name ILIKE :q OR EXISTS (SELECT 1 FROM account_external_ids x WHERE x.account_id = a.id AND x.external_id ILIKE :q))`, { q: containsPattern(filter.q) });
    }
    if (filter.csmId) q.andWhere('a.csm_id = :csmId', { csmId: filter.csmId });
    if (filter.segmentId) q.andWhere('EXISTS (SELECT 1 FROM segment_memberships m WHERE m.account_id = a.id AND m.segment_id = :segmentId AND m.exited_at IS NULL)', { segmentId: filter.segmentId });
    if (filter.lifecycleStage) q.andWhere('a.lifecycle_stage = :stage', { stage: filter.lifecycleStage });
    if (filter.health === 'none') q.andWhere('a.health_status IS NULL');
    else if (filter.health) q.andWhere('a.health_status = :health', { health: filter.health });
    // ISO dates compare as text.
    if (filter.renewalAfter) q.andWhere(`a.attributes ->> 'renewal_date' >= :renewalAfter`, { renewalAfter: filter.renewalAfter });
    if (filter.renewalBefore) q.andWhere(`a.attributes ->> 'renewal_date' < :renewalBefore`, { renewalBefore: filter.renewalBefore });
    if (page.after) q.andWhere('(a.name, a.id) > (:name, :id::uuid)', page.after);
    const ids = (await q.getRawMany<{ id: string }>()).map((r) => r.id);
    if (ids.length === 0) return [];
    const found = await this.em.find(AccountEntity, { where: { id: In(ids) }, relations: withPeople, order: { stakeholders: { name: 'ASC' } } });
    const byId = new Map(found.map((a) => [a.id, a]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  findById(id: string): Promise<AccountEntity | null> {
    return this.em.findOne(AccountEntity, { where: { id }, relations: withPeople, order: { stakeholders: { name: 'ASC' } } });
  }

  exists(id: string): Promise<boolean> {
    return this.em.existsBy(AccountEntity, { id });
  }

  /** The account's CSM and the assignee, each with their manager, in one query; null if the account does not exist. */
  async ownership(accountId: string, assigneeId: string | null = null): Promise<AccountOwnershipRow | null> {
    const [row] = await this.em.query(
      `SELECT a.csm_id AS "accountCsmId", csm.manager_id AS "accountCsmManagerId", asg.id AS "assigneeId", asg.manager_id AS "assigneeManagerId"
       FROM accounts a
       LEFT JOIN users csm ON csm.id = a.csm_id
       LEFT JOIN users asg ON asg.id = $2::uuid
       WHERE a.id = $1`,
      [accountId, assigneeId],
    );
    return (row as AccountOwnershipRow | undefined) ?? null;
  }

  /** The account's profile and people-map roles in one round trip; null if it does not exist. */
  async facts(id: string): Promise<AccountFactsRow | null> {
    const [row] = await this.em.query(
      `SELECT a.name, s.key AS "segmentKey", a.timezone, a.attributes, a.metrics, a.health_status AS "healthStatus", a.health_score AS "healthScore",
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

  /** Serialises writers of external ids until the transaction ends (see EXTERNAL_IDS_LOCK). */
  async lockExternalIds(): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [EXTERNAL_IDS_LOCK]);
  }

  /** (system, external id) → account id, for the pairs that name an account. */
  async externalIdOwners(pairs: ReadonlyArray<{ system: string; externalId: string }>): Promise<ExternalIdWrite[]> {
    if (pairs.length === 0) return [];
    const rows: Array<{ system: string; external_id: string; account_id: string }> = await this.em.query(
      `SELECT x.system, x.external_id, x.account_id FROM account_external_ids x
       JOIN unnest($1::text[], $2::text[]) AS p(system, external_id) USING (system, external_id)`,
      [pairs.map((p) => p.system), pairs.map((p) => p.externalId)],
    );
    return rows.map((r) => ({ system: r.system, externalId: r.external_id, accountId: r.account_id }));
  }

  /** The accounts, locked for update (in id order), as an import compares them. */
  async lockForUpdate(ids: readonly string[]): Promise<StoredAccountRow[]> {
    if (ids.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.em.query(
      `SELECT a.id, a.name, a.domain, a.assigned_segment_id, a.csm_id, a.timezone, a.attributes, a.health_status, a.health_score,
              coalesce((SELECT jsonb_object_agg(x.system, x.external_id) FROM account_external_ids x WHERE x.account_id = a.id), '{}'::jsonb) AS external_ids
       FROM accounts a WHERE a.id = ANY($1::uuid[]) ORDER BY a.id FOR UPDATE OF a`,
      [[...new Set(ids)]],
    );
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      domain: r.domain as string | null,
      assignedSegmentId: r.assigned_segment_id as string,
      csmId: r.csm_id as string | null,
      timezone: r.timezone as string,
      attributes: r.attributes as StoredAccountRow['attributes'],
      healthStatus: r.health_status as string | null,
      healthScore: r.health_score as number | null,
      externalIds: r.external_ids as Record<string, string>,
    }));
  }

  /** domain → the account that has it, for the domains given (lower case). */
  async domainOwners(domains: readonly string[]): Promise<Map<string, string>> {
    if (domains.length === 0) return new Map();
    const rows: Array<{ id: string; domain: string }> = await this.em.query(`SELECT id, domain FROM accounts WHERE lower(domain) = ANY($1::text[])`, [[...domains]]);
    return new Map(rows.map((r) => [r.domain.toLowerCase(), r.id]));
  }

  /** Lower-case email → user id, for the emails given. */
  async userIdsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    if (emails.length === 0) return new Map();
    const users = await this.em.createQueryBuilder(UserEntity, 'u').select(['u.id', 'u.email']).where('lower(u.email) = ANY(:emails)', { emails: [...emails] }).getMany();
    return new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
  }

  /** New accounts, one statement; each starts in its assigned segment until membership is refreshed. */
  async insertMany(accounts: readonly AccountWrite[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.em.query(
      `INSERT INTO accounts (id, name, domain, segment_id, assigned_segment_id, csm_id, timezone, attributes, metrics, health_status, health_score)
       SELECT r.id, r.name, r.domain, r.assigned_segment_id, r.assigned_segment_id, r.csm_id, r.timezone, r.attributes, coalesce(r.metrics, '{}'::jsonb), r.health_status, r.health_score
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, domain text, assigned_segment_id uuid, csm_id uuid, timezone text, attributes jsonb, metrics jsonb, health_status text, health_score int)`,
      [JSON.stringify(accounts.map(toRecord))],
    );
  }

  /** Accounts' profiles replaced by the values given (read and locked before), one statement; refresh their membership after. */
  async updateMany(accounts: readonly AccountWrite[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.em.query(
      `UPDATE accounts a SET name = r.name, domain = r.domain, assigned_segment_id = r.assigned_segment_id, csm_id = r.csm_id, timezone = r.timezone,
              attributes = r.attributes, health_status = r.health_status, health_score = r.health_score, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, domain text, assigned_segment_id uuid, csm_id uuid, timezone text, attributes jsonb, health_status text, health_score int)
       WHERE a.id = r.id`,
      [JSON.stringify(accounts.map(toRecord))],
    );
  }

  /** External ids added to accounts, one statement (the primary key refuses an id another account has). */
  async addExternalIds(ids: readonly ExternalIdWrite[]): Promise<void> {
    if (ids.length === 0) return;
    await this.em.insert(AccountExternalIdEntity, ids.map((x) => ({ system: x.system, externalId: x.externalId, accountId: x.accountId })));
  }

  /** Removes an account's ids in these systems. */
  async removeExternalIds(accountId: string, systems: readonly string[]): Promise<void> {
    if (systems.length === 0) return;
    await this.em.delete(AccountExternalIdEntity, { accountId, system: In([...systems]) });
  }

  /**
   * The accounts in a segment (at most `limit` ids, and how many there are), or null when there
   * is no such segment: its current members (rule or manual), from segment membership.
   */
  async segmentMembers(segmentId: string, limit: number): Promise<SegmentMembers | null> {
    const [row]: Array<{ id: string; key: string; name: string; account_ids: string[]; total: number }> = await this.em.query(
      `SELECT s.id, s.key, s.name,
              ARRAY(SELECT a.id::text FROM segment_memberships m JOIN accounts a ON a.id = m.account_id WHERE m.segment_id = s.id AND m.exited_at IS NULL ORDER BY a.name, a.id LIMIT $2) AS account_ids,
              (SELECT count(*) FROM segment_memberships m WHERE m.segment_id = s.id AND m.exited_at IS NULL)::int AS total
       FROM segments s WHERE s.id = $1`,
      [segmentId, limit],
    );
    if (!row) return null;
    return { segment: { id: row.id, key: row.key, name: row.name }, accountIds: row.account_ids, total: row.total };
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

  /** Accounts holding the date attribute `field` (an account-date trigger's), with their timezone. */
  withDate(field: string): Promise<Array<{ id: string; timezone: string; date: string }>> {
    return this.em.query(`SELECT id, timezone, attributes ->> $1 AS date FROM accounts WHERE attributes ? $1 ORDER BY id`, [field]);
  }

  /** Every account id, in a stable order (a schedule with no audience enrolls everyone). */
  async allIds(): Promise<string[]> {
    return (await this.em.query(`SELECT id FROM accounts ORDER BY id`)).map((r: { id: string }) => r.id);
  }
}

function toRecord(a: AccountWrite) {
  return {
    id: a.id,
    name: a.name,
    domain: a.domain,
    assigned_segment_id: a.assignedSegmentId,
    csm_id: a.csmId,
    timezone: a.timezone,
    attributes: a.attributes,
    metrics: a.metrics ?? null,
    health_status: a.healthStatus,
    health_score: a.healthScore,
  };
}
