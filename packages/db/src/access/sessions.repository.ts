import { type EntityManager, IsNull, Not } from 'typeorm';
import type { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

/** Sign-in sessions: created at sign-in, rotated on refresh, revoked on sign-out, deactivation or a password change. */
export class SessionsRepository {
  constructor(private readonly em: EntityManager) {}

  create(fields: { userId: string; refreshTokenHash: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<SessionEntity> {
    return this.em.save(this.em.create(SessionEntity, { ...fields, refreshedAt: null, revokedAt: null }));
  }

  /** The session holding this refresh token (locked with `forUpdate`, so one refresh wins). */
  findByRefreshHash(hash: string, options: { forUpdate?: boolean } = {}): Promise<SessionEntity | null> {
    return this.em.findOne(SessionEntity, { where: { refreshTokenHash: hash }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async rotate(id: string, refreshTokenHash: string, at: Date): Promise<void> {
    await this.em.update(SessionEntity, { id }, { refreshTokenHash, refreshedAt: at });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.em.update(SessionEntity, { id, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Ends every open session of the user, except `exceptId` (the one changing its password); returns how many. */
  async revokeAllOf(userId: string, at: Date, exceptId?: string | null): Promise<number> {
    const result = await this.em.update(SessionEntity, { userId, revokedAt: IsNull(), ...(exceptId ? { id: Not(exceptId) } : {}) }, { revokedAt: at });
    return result.affected ?? 0;
  }

  /**
   * The user behind an access token, in one query (on the path of every request, so plain SQL):
   * only while the user is active and the session it came from is neither revoked nor expired.
   */
  async activeUser(sessionId: string, userId: string): Promise<Pick<UserEntity, 'id' | 'name' | 'role'> | null> {
    const rows: Array<Pick<UserEntity, 'id' | 'name' | 'role'>> = await this.em.query(
      `SELECT u.id, u.name, u.role FROM users u JOIN sessions s ON s.user_id = u.id
       WHERE u.id = $1 AND s.id = $2 AND u.active AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [userId, sessionId],
    );
    return rows[0] ?? null;
  }
}
