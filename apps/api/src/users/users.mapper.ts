import type { ManagedUser, User } from '@cairn/contracts';
import type { UserEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';

export function toUser(entity: UserEntity): User {
  return { id: entity.id, name: entity.name, email: entity.email, role: entity.role as User['role'] };
}

export function toManagedUser(entity: UserEntity, canSignIn: boolean): ManagedUser {
  return { ...toUser(entity), managerId: entity.managerId, active: entity.active, canSignIn, lastLoginAt: isoOrNull(entity.lastLoginAt), createdAt: entity.createdAt.toISOString() };
}
