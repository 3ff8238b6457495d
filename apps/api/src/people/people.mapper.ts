import type { Stakeholder, StakeholderChange, StakeholderFields } from '@cairn/contracts';
import type { StakeholderChangeEntity, StakeholderEntity } from '@cairn/db';

export function toStakeholder(s: StakeholderEntity): Stakeholder {
  return {
    id: s.id,
    accountId: s.accountId,
    name: s.name,
    email: s.email,
    role: s.role as Stakeholder['role'],
    title: s.title,
    phone: s.phone,
    status: s.status as Stakeholder['status'],
    isPrimary: s.isPrimary,
    leftAt: s.leftAt ? s.leftAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** The fields a change row records of a stakeholder, under their API names. */
export function stakeholderFields(s: StakeholderEntity): StakeholderFields {
  return {
    name: s.name,
    email: s.email,
    role: s.role as StakeholderFields['role'],
    title: s.title,
    phone: s.phone,
    status: s.status as StakeholderFields['status'],
    isPrimary: s.isPrimary,
    leftAt: s.leftAt ? s.leftAt.toISOString() : null,
  };
}

export function toStakeholderChange(c: StakeholderChangeEntity, changerNames: ReadonlyMap<string, string>): StakeholderChange {
  return {
    id: c.id,
    stakeholderId: c.stakeholderId,
    accountId: c.accountId,
    kind: c.kind as StakeholderChange['kind'],
    before: c.before as StakeholderChange['before'],
    after: c.after as StakeholderChange['after'],
    changedBy: c.changedBy,
    changedByName: changerNames.get(c.changedBy) ?? null,
    reason: c.reason,
    eventId: c.eventId,
    at: c.at.toISOString(),
  };
}
