import type { Account } from '@cairn/contracts';
import type { AccountEntity } from '@cairn/db';
import { toUser } from '../users/users.mapper';

export function toAccount(entity: AccountEntity): Account {
  const segment = entity.segment;
  if (!segment) throw new Error(`account ${entity.id} was loaded without its segment`);
  return {
    id: entity.id,
    name: entity.name,
    segment: { id: segment.id, key: segment.key, name: segment.name },
    csm: entity.csm ? toUser(entity.csm) : null,
    stakeholders: (entity.stakeholders ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({ id: s.id, name: s.name, email: s.email, role: s.role as Account['stakeholders'][number]['role'] })),
    timezone: entity.timezone,
    attributes: { ...entity.attributes },
    metrics: { ...entity.metrics },
  };
}
