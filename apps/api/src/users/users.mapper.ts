import type { User } from '@cairn/contracts';
import type { UserEntity } from '@cairn/db';

export function toUser(entity: UserEntity): User {
  return { id: entity.id, name: entity.name, email: entity.email, role: entity.role as User['role'] };
}
