import type { EntityManager } from 'typeorm';
import { StakeholderEntity } from '../accounts/stakeholder.entity';
import { StakeholderChangeEntity } from './stakeholder-change.entity';
import { exactTimeOf, type KeysetPage } from '../common/keyset';

/** What a new stakeholder is given; status starts active. */
export type NewStakeholderFields = Pick<StakeholderEntity, 'accountId' | 'name' | 'email' | 'role' | 'title' | 'phone' | 'isPrimary'>;

/** What a change may set on a stakeholder. */
export type StakeholderUpdate = Partial<Pick<StakeholderEntity, 'name' | 'email' | 'role' | 'title' | 'phone' | 'status' | 'isPrimary' | 'leftAt'>>;

/**
 * One change row, as the service fills it in: `at` from the caller's clock, to the millisecond, so
 * history pages are exact; `id` and `eventId` given when the change emits an event keyed by it
 * (the event may be stored later in the same transaction: the foreign key is checked at commit).
 */
export type NewStakeholderChange = Pick<StakeholderChangeEntity, 'stakeholderId' | 'accountId' | 'kind' | 'before' | 'after' | 'changedBy' | 'reason' | 'at'> & { id?: string; eventId?: string | null };

/** Where a history page starts: strictly older than this change. */
export interface HistoryCursor {
  at: string;
  id: string;
}

/** The people map of accounts: stakeholders and every change to them. */
export class StakeholdersRepository {
  constructor(private readonly em: EntityManager) {}

  /** An account's stakeholders by name (then id), optionally of one role or status, after `page.after`. */
  list(accountId: string, filter: { role?: string; status?: string }, page: KeysetPage<{ name: string }>): Promise<StakeholderEntity[]> {
    const q = this.em.createQueryBuilder(StakeholderEntity, 's').where('s.account_id = :accountId', { accountId }).orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC').limit(page.take);
    if (filter.role) q.andWhere('s.role = :role', { role: filter.role });
    if (filter.status) q.andWhere('s.status = :status', { status: filter.status });
    if (page.after) q.andWhere('(s.name, s.id) > (:name, :id::uuid)', page.after);
    return q.getMany();
  }

  /** One stakeholder of the account (null if it is not the account's); `lock` holds the row until the transaction ends. */
  findInAccount(accountId: string, id: string, options: { lock?: boolean } = {}): Promise<StakeholderEntity | null> {
    return this.em.findOne(StakeholderEntity, { where: { id, accountId }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** The account's stakeholder with this email, whatever its case; `exceptId` leaves one out. */
  findByEmail(accountId: string, email: string, exceptId?: string): Promise<StakeholderEntity | null> {
    const q = this.em.createQueryBuilder(StakeholderEntity, 's').where('s.account_id = :accountId AND lower(s.email) = lower(:email)', { accountId, email });
    if (exceptId) q.andWhere('s.id <> :exceptId', { exceptId });
    return q.getOne();
  }

  /** The active primary of a role in the account, locked, other than `exceptId`. */
  primaryOf(accountId: string, role: string, exceptId?: string): Promise<StakeholderEntity | null> {
    const q = this.em
      .createQueryBuilder(StakeholderEntity, 's')
      .setLock('pessimistic_write')
      .where('s.account_id = :accountId AND s.role = :role AND s.is_primary AND s.status = :active', { accountId, role, active: 'active' });
    if (exceptId) q.andWhere('s.id <> :exceptId', { exceptId });
    return q.getOne();
  }

  async insert(fields: NewStakeholderFields): Promise<StakeholderEntity> {
    const { accountId, name, email, role, title, phone, isPrimary } = fields;
    const inserted = await this.em.insert(StakeholderEntity, { accountId, name, email, role, title, phone, isPrimary, status: 'active', leftAt: null });
    return this.em.findOneByOrFail(StakeholderEntity, { id: (inserted.identifiers[0] as { id: string }).id });
  }

  /** Sets the fields given (updated_at too) and returns the row as it is now. */
  async update(id: string, fields: StakeholderUpdate): Promise<StakeholderEntity> {
    const { name, email, role, title, phone, status, isPrimary, leftAt } = fields;
    const set = Object.fromEntries(Object.entries({ name, email, role, title, phone, status, isPrimary, leftAt }).filter(([, value]) => value !== undefined));
    await this.em.update(StakeholderEntity, { id }, set);
    return this.em.findOneByOrFail(StakeholderEntity, { id });
  }

  async delete(id: string): Promise<void> {
    await this.em.delete(StakeholderEntity, { id });
  }

  /** The roles someone active holds in the account, each once, in order: what conditions read as `role.*`. */
  async activeRoles(accountId: string): Promise<string[]> {
    const rows: Array<{ role: string }> = await this.em.query(`SELECT DISTINCT role FROM stakeholders WHERE account_id = $1 AND status = 'active' ORDER BY role`, [accountId]);
    return rows.map((r) => r.role);
  }

  /** Who a touch to `role` goes to: the active primary of the role, else the first active one by name. */
  recipientFor(accountId: string, role: string): Promise<StakeholderEntity | null> {
    return this.em.findOne(StakeholderEntity, { where: { accountId, role, status: 'active' }, order: { isPrimary: 'DESC', name: 'ASC', id: 'ASC' } });
  }

  async recordChange(change: NewStakeholderChange): Promise<StakeholderChangeEntity> {
    const { id, stakeholderId, accountId, kind, before, after, changedBy, reason, at, eventId } = change;
    const inserted = await this.em.insert(StakeholderChangeEntity, { ...(id ? { id } : {}), stakeholderId, accountId, kind, before: before as never, after: after as never, changedBy, reason, at, eventId: eventId ?? null });
    return this.em.findOneByOrFail(StakeholderChangeEntity, { id: (inserted.identifiers[0] as { id: string }).id });
  }

  /**
   * Changes of the account (or of one stakeholder of it), newest first, `limit` of them starting
   * after `cursor`.
   */
  history(accountId: string, filter: { stakeholderId?: string; kind?: string }, page: KeysetPage<HistoryCursor>): Promise<StakeholderChangeEntity[]> {
    const q = this.em
      .createQueryBuilder(StakeholderChangeEntity, 'c')
      .where('c.account_id = :accountId', { accountId })
      .orderBy('c.at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(page.take);
    if (filter.stakeholderId) q.andWhere('c.stakeholder_id = :stakeholderId', { stakeholderId: filter.stakeholderId });
    if (filter.kind) q.andWhere('c.kind = :kind', { kind: filter.kind });
    if (page.after) q.andWhere(`(c.at, c.id) < (${exactTimeOf('stakeholder_changes', 'at', 'at', 'id')}, :id::uuid)`, page.after);
    return q.getMany();
  }

  /** True when the account's history names this stakeholder (one deleted since, say). */
  hasHistory(accountId: string, stakeholderId: string): Promise<boolean> {
    return this.em.existsBy(StakeholderChangeEntity, { accountId, stakeholderId });
  }

  /** True when someone with this email was deleted from the account's people map. */
  async wasDeleted(accountId: string, email: string): Promise<boolean> {
    const [row] = await this.em.query(`SELECT EXISTS (SELECT 1 FROM stakeholder_changes WHERE account_id = $1 AND kind = 'deleted' AND lower(before ->> 'email') = lower($2)) AS found`, [accountId, email]);
    return row.found === true;
  }
}
