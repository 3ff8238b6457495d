import type { Account, AccountField, AccountFieldRule, AccountHealth, StoredAccount } from '@cairn/contracts';
import type { AccountEntity, AccountFieldEntity, StoredAccountRow } from '@cairn/db';
import { toStakeholder } from '../people/people.mapper';
import { toUser } from '../users/users.mapper';

export function toAccount(entity: AccountEntity): Account {
  const { segment, assignedSegment } = entity;
  if (!segment || !assignedSegment) throw new Error(`account ${entity.id} was loaded without its segments`);
  return {
    id: entity.id,
    name: entity.name,
    domain: entity.domain,
    externalIds: Object.fromEntries((entity.externalIds ?? []).map((x) => [x.system, x.externalId]).sort(([a], [b]) => a.localeCompare(b))),
    health: entity.healthStatus ? { status: entity.healthStatus as AccountHealth['status'], score: entity.healthScore } : null,
    segment: { id: segment.id, key: segment.key, name: segment.name },
    assignedSegment: { id: assignedSegment.id, key: assignedSegment.key, name: assignedSegment.name },
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

export function toAccountField(entity: AccountFieldEntity): AccountField {
  return {
    key: entity.key,
    label: entity.label,
    description: entity.description,
    type: entity.type as AccountField['type'],
    options: [...entity.options],
    currency: entity.currency,
    required: entity.required,
    builtIn: entity.builtIn,
    position: entity.position,
  };
}

export function toFieldRule(entity: AccountFieldEntity): AccountFieldRule {
  const field = toAccountField(entity);
  return { key: field.key, type: field.type, options: field.options, currency: field.currency, required: field.required };
}

/** A stored account as the import planner compares it (health checked by the database's constraint). */
export function toStoredAccount(row: StoredAccountRow): StoredAccount {
  return { ...row, healthStatus: row.healthStatus as StoredAccount['healthStatus'] };
}
