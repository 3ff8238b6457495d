import type { CreateUserRequest, ListUsersQuery, ManagedUser, ManagedUserPage, UpdateUserRequest } from '@cairn/contracts';
import { type Repositories, repositories, type UserEntity } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/passwords';
import type { RequestPrincipal } from '../auth/principal';
import { decodeKeyCursor, encodeKeyCursor } from '../common/cursor';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { pageOf } from '../common/page';
import { isUniqueViolation } from '../common/postgres-errors';
import { toManagedUser } from './users.mapper';

/** What the audit log shows of a user (never the password hash). */
function snapshot(user: Pick<UserEntity, 'name' | 'email' | 'role' | 'managerId' | 'active'>, canSignIn: boolean) {
  return { name: user.name, email: user.email, role: user.role, managerId: user.managerId, active: user.active, canSignIn };
}

/** Users, as administrators manage them: create with a role, manager and first password; change; deactivate. */
@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Users by name (then id), filtered; see listUsersQuerySchema. */
  async list({ limit, cursor, ...filter }: ListUsersQuery): Promise<ManagedUserPage> {
    const after = cursor === undefined ? undefined : decodeKeyCursor(cursor);
    const found = await repositories(this.dataSource.manager).users.pageWithSignIn(filter, { take: limit + 1, after: after && { name: after.key, id: after.id } });
    return pageOf(
      found,
      limit,
      ({ user, canSignIn }) => toManagedUser(user, canSignIn),
      ({ user }) => encodeKeyCursor(user.name, user.id),
    );
  }

  async create(principal: RequestPrincipal, body: CreateUserRequest): Promise<ManagedUser> {
    const passwordHash = body.password ? await hashPassword(body.password) : null;
    try {
      return await this.dataSource.transaction(async (em) => {
        const db = repositories(em);
        if (await db.users.findByEmail(body.email)) throw new ConflictError(`A user with the email ${body.email} exists`);
        const managerId = body.managerId ?? null;
        if (managerId) await this.requireManager(db, managerId);
        const user = await db.users.insert({ name: body.name, email: body.email, role: body.role, managerId, passwordHash, active: true });
        await this.audit.record(em, principal, {
          action: 'user.created',
          entity: { type: 'user', id: user.id },
          summary: `${principal.name} added ${user.name} (${user.email}) as ${user.role}`,
          changes: { after: snapshot(user, passwordHash !== null) },
        });
        return toManagedUser(user, passwordHash !== null);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A user with the email ${body.email} exists`);
      throw error;
    }
  }

  /**
   * Changes a user. Deactivating ends their sessions at once (their access tokens stop working);
   * a new password ends them too. The last active admin can be neither demoted nor deactivated.
   */
  async update(principal: RequestPrincipal, id: string, body: UpdateUserRequest): Promise<ManagedUser> {
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const user = await db.users.findById(id, { forUpdate: true });
      if (!user) throw new NotFoundError('User', id);
      const hadPassword = await db.users.hasPassword(id);
      const before = snapshot(user, hadPassword);

      const fields: Partial<Pick<UserEntity, 'name' | 'role' | 'managerId' | 'active'>> & { passwordHash?: string } = {};
      if (body.name !== undefined && body.name !== user.name) fields.name = body.name;
      if (body.role !== undefined && body.role !== user.role) fields.role = body.role;
      if (body.active !== undefined && body.active !== user.active) fields.active = body.active;
      if (body.managerId !== undefined && body.managerId !== user.managerId) {
        if (body.managerId !== null) {
          await this.requireManager(db, body.managerId);
          if (await db.users.wouldLoop(id, body.managerId)) {
            throw new ValidationError('A user cannot report to themselves or to someone who reports to them', [{ path: 'body.managerId', code: 'manager_loop', message: 'This manager reports to the user, directly or not' }]);
          }
        }
        fields.managerId = body.managerId;
      }
      if (passwordHash) fields.passwordHash = passwordHash;

      const losesAdmin = user.role === 'admin' && user.active && ((fields.role !== undefined && fields.role !== 'admin') || fields.active === false);
      if (losesAdmin && (await db.users.countActiveAdmins(id)) === 0) throw new ConflictError('This is the last active admin: make someone else an admin first');

      if (Object.keys(fields).length === 0) return toManagedUser(user, hadPassword);
      await db.users.update(id, fields);
      const ended = fields.active === false || passwordHash ? await db.sessions.revokeAllOf(id, new Date()) : 0;
      const after = { ...before, ...Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'passwordHash')), canSignIn: hadPassword || Boolean(passwordHash) };
      const changed = [...Object.keys(fields).filter((k) => k !== 'passwordHash'), ...(passwordHash ? ['password'] : [])];
      await this.audit.record(em, principal, {
        action: fields.active === false ? 'user.deactivated' : fields.active === true ? 'user.reactivated' : 'user.updated',
        entity: { type: 'user', id },
        summary: `${principal.name} changed ${user.name}: ${changed.join(', ')}${ended ? ` (${ended} session${ended === 1 ? '' : 's'} ended)` : ''}`,
        changes: { before, after: passwordHash ? { ...after, password: '(reset)' } : after },
      });
      const saved = await db.users.findById(id);
      if (!saved) throw new NotFoundError('User', id);
      return toManagedUser(saved, after.canSignIn);
    });
  }

  private async requireManager(db: Repositories, managerId: string): Promise<void> {
    if (!(await db.users.findById(managerId))) throw new ValidationError('The manager does not exist', [{ path: 'body.managerId', code: 'unknown_user', message: `No user ${managerId}` }]);
  }
}
