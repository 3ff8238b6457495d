import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { containsPattern, type KeysetPage } from '../common/keyset';
import { UserEntity } from './user.entity';

/** The fields an administrator sets on a user (never a spread of a request body). */
export interface UserFields {
  name: string;
  email: string;
  role: string;
  managerId: string | null;
  passwordHash: string | null;
  active: boolean;
}

/** Queries over our own people (CSMs, managers, ops, admins, viewers). */
export class UsersRepository {
  constructor(private readonly em: EntityManager) {}

  list(): Promise<UserEntity[]> {
    return this.em.find(UserEntity, { order: { name: 'ASC' } });
  }

  /**
   * Users matching the filter by name (then id), after `page.after`, with whether each has a
   * password (the hash itself is never loaded here). `q` searches the name and the email.
   */
  async pageWithSignIn(
    filter: { role?: string; active?: boolean; managerId?: string; q?: string },
    page: KeysetPage<{ name: string }>,
  ): Promise<Array<{ user: UserEntity; canSignIn: boolean }>> {
    const q = this.em.createQueryBuilder(UserEntity, 'u').orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').limit(page.take);
    if (filter.role) q.andWhere('u.role = :role', { role: filter.role });
    if (filter.active !== undefined) q.andWhere('u.active = :active', { active: filter.active });
    if (filter.managerId) q.andWhere('u.manager_id = :managerId', { managerId: filter.managerId });
    if (filter.q) q.andWhere('(u.name ILIKE :q OR u.email ILIKE :q)', { q: containsPattern(filter.q) });
    if (page.after) q.andWhere('(u.name, u.id) > (:name, :id::uuid)', page.after);
    const users = await q.getMany();
    if (users.length === 0) return [];
    const withPassword = new Set((await this.em.find(UserEntity, { where: { id: In(users.map((u) => u.id)), passwordHash: Not(IsNull()) }, select: { id: true } })).map((u) => u.id));
    return users.map((user) => ({ user, canSignIn: withPassword.has(user.id) }));
  }

  findById(id: string, options: { forUpdate?: boolean } = {}): Promise<UserEntity | null> {
    return this.em.findOne(UserEntity, { where: { id }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.em.findOneBy(UserEntity, { email: email.toLowerCase() });
  }

  /** The user with their password hash, for signing in or changing the password. */
  findWithPassword(where: { email: string } | { id: string }): Promise<UserEntity | null> {
    return this.em
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('email' in where ? 'u.email = :email' : 'u.id = :id', 'email' in where ? { email: where.email.toLowerCase() } : { id: where.id })
      .getOne();
  }

  async hasPassword(id: string): Promise<boolean> {
    return this.em.existsBy(UserEntity, { id, passwordHash: Not(IsNull()) });
  }

  insert(fields: UserFields): Promise<UserEntity> {
    return this.em.save(this.em.create(UserEntity, { ...fields, email: fields.email.toLowerCase() }));
  }

  async update(id: string, fields: Partial<Omit<UserFields, 'email'>>): Promise<void> {
    if (Object.keys(fields).length) await this.em.update(UserEntity, { id }, fields);
  }

  async recordLogin(id: string, at: Date): Promise<void> {
    await this.em.update(UserEntity, { id }, { lastLoginAt: at });
  }

  /** Active admins other than `exceptId`: the last one may not be demoted or deactivated. */
  countActiveAdmins(exceptId?: string): Promise<number> {
    return this.em.countBy(UserEntity, { role: 'admin', active: true, ...(exceptId ? { id: Not(exceptId) } : {}) });
  }

  /** Whether making `managerId` the manager of `userId` would close a loop (a manager of their own manager). */
  async wouldLoop(userId: string, managerId: string): Promise<boolean> {
    const [row] = await this.em.query(
      `WITH RECURSIVE chain(id, depth) AS (
         SELECT manager_id, 1 FROM users WHERE id = $1
         UNION ALL SELECT u.manager_id, c.depth + 1 FROM users u JOIN chain c ON u.id = c.id WHERE c.depth < 100
       )
       SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2) AS loops`,
      [managerId, userId],
    );
    return managerId === userId || Boolean(row?.loops);
  }

  /** The first active person with that role, by name: the stand-in when nobody closer is known. */
  firstWithRole(role: string, options: { exceptId?: string | null } = {}): Promise<UserEntity | null> {
    const q = this.em.createQueryBuilder(UserEntity, 'u').where('u.role = :role', { role }).andWhere('u.active');
    if (options.exceptId) q.andWhere('u.id <> :exceptId', { exceptId: options.exceptId });
    return q.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').getOne();
  }

  /**
   * Who `userId` escalates to: their manager (users.manager_id) while active, else the first active
   * cs_manager by name other than themselves. Null when there is neither.
   */
  async managerOf(userId: string | null): Promise<UserEntity | null> {
    const user = userId ? await this.em.findOne(UserEntity, { where: { id: userId }, relations: { manager: true } }) : null;
    return user?.manager?.active ? user.manager : this.firstWithRole('cs_manager', { exceptId: userId });
  }

  /** id → name, for labelling rows that reference users. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.em.find(UserEntity, { where: { id: In([...ids]) }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
