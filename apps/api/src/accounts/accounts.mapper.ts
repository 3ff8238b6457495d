import type { Account } from '@cairn/contracts';
import type { AccountEntity } from '@cairn/db';
import { toStakeholder } from '../people/people.mapper';
import { toUser } from '../users/users.mapper';

export function toAccount(entity: AccountEntity): Account {
  const segment = entity.segment;
  if (!segment) throw new Error(`account ${entity.id} was loaded without its segment`);
  return {
    id: entity.id,
    name: entity.name,
    segment: { id: segment.id, key: segment.key, name: segment.name },
    csm: entity.csm ? toUser(entity.csm) : null,
    // The people map as it is now; who left is listed under GET …/stakeholders?status=left.
    stakeholders: (entity.stakeholders ?? [])
      .filter((s) => s.status === 'active')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toStakeholder),
    timezone: entity.timezone,
    attributes: { ...entity.attributes },
    metrics: { ...entity.metrics },
  };
}
