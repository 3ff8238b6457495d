import { type EntityManager, In } from 'typeorm';
import { AccountEntity } from './account.entity';
import { SegmentEntity } from './segment.entity';

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
