import { type EntityManager, In } from 'typeorm';
import { UserEntity } from './user.entity';

/** Queries over our own people (CSMs, managers, ops). */
export class UsersRepository {
  constructor(private readonly em: EntityManager) {}

  list(): Promise<UserEntity[]> {
    return this.em.find(UserEntity, { order: { name: 'ASC' } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.em.findOneBy(UserEntity, { id });
  }

  /** The first of our people with that role, by name: the stand-in when nobody closer is known. */
  firstWithRole(role: string, options: { exceptId?: string | null } = {}): Promise<UserEntity | null> {
    const q = this.em.createQueryBuilder(UserEntity, 'u').where('u.role = :role', { role });
    if (options.exceptId) q.andWhere('u.id <> :exceptId', { exceptId: options.exceptId });
    return q.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').getOne();
  }

  /**
   * Who `userId` escalates to: their manager (users.manager_id), else the first cs_manager by name
   * other than themselves. Null when there is neither.
   */
  async managerOf(userId: string | null): Promise<UserEntity | null> {
    const user = userId ? await this.em.findOne(UserEntity, { where: { id: userId }, relations: { manager: true } }) : null;
    return user?.manager ?? this.firstWithRole('cs_manager', { exceptId: userId });
  }

  /** id → name, for labelling rows that reference users. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.em.find(UserEntity, { where: { id: In([...ids]) }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
