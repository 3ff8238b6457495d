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

  /** id → name, for labelling rows that reference users. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.em.find(UserEntity, { where: { id: In([...ids]) }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }
}
