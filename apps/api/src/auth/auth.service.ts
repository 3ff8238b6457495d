import { type ChangePasswordRequest, type LoginRequest, type Me, type Permission, permissionsOf, type Principal, type Session, TOKEN_SCOPES, type UserRole } from '@cairn/contracts';
import { ApiTokensRepository, repositories, SessionsRepository, type UserEntity } from '@cairn/db';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError, ValidationError } from '../common/errors';
import { API_CONFIG, type ApiConfig } from '../config';
import { toUser } from '../users/users.mapper';
import { signAccessToken, signingKey, verifyAccessToken } from './access-tokens';
import { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import type { RequestMeta, RequestPrincipal } from './principal';
import { isApiToken, newRefreshToken, sha256 } from './secrets';

/** The one answer to a failed sign-in, whatever the reason: it never tells whether the email exists. */
export const LOGIN_FAILED = 'The email or password is not right';

const isTokenScope = (scope: string): scope is Permission => (TOKEN_SCOPES as readonly string[]).includes(scope);

/**
 * Sign-in (argon2 passwords, short-lived JWT access tokens, opaque rotated refresh tokens) and
 * the authentication of every request (access tokens and API tokens).
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly throttle = new LoginThrottle();
  /** The two lookups every request makes, outside any transaction. */
  private readonly sessions: SessionsRepository;
  private readonly apiTokens: ApiTokensRepository;
  private readonly key: KeyObject;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.sessions = new SessionsRepository(dataSource.manager);
    this.apiTokens = new ApiTokensRepository(dataSource.manager);
    this.key = signingKey(config.auth.jwtSecret);
  }

  /**
   * Who an `Authorization: Bearer …` header is: an API token (`cairn_pat_…`, looked up by its
   * SHA-256, while neither revoked nor expired) or an access token (JWT, HS256) whose user is
   * active and whose session is still open, so signing out, deactivation and role changes apply
   * at once. Anything else is a 401.
   */
  async authenticate(header: string | undefined, requestId: string | null): Promise<RequestPrincipal> {
    if (!header) throw new UnauthorizedError('Sign in first: send "Authorization: Bearer <access token or API token>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('The Authorization header must be "Bearer <access token or API token>"');
    const credential = match[1];

    if (isApiToken(credential)) {
      const token = await this.apiTokens.findUsable(sha256(credential));
      if (!token) throw new UnauthorizedError('This API token is unknown, revoked or expired');
      // Not awaited: noting the use (at most once a minute) never holds up the request.
      this.apiTokens.touch(token.id).catch((error: unknown) => this.logger.warn(`could not note the use of token ${token.id}: ${String(error)}`));
      return { kind: 'token', id: token.id, name: token.name, scopes: token.scopes.filter(isTokenScope), sessionId: null, requestId };
    }

    const verified = verifyAccessToken(credential, this.key);
    if (!verified.ok) {
      throw new UnauthorizedError(verified.reason === 'expired' ? 'The session has expired: refresh it or sign in again' : 'The access token is not valid: sign in again');
    }
    const user = await this.sessions.activeUser(verified.claims.sessionId, verified.claims.userId);
    if (!user) throw new UnauthorizedError('This session has ended (signed out, expired, or the user was deactivated): sign in again');
    return { kind: 'user', id: user.id, name: user.name, role: user.role as UserRole, sessionId: verified.claims.sessionId, requestId };
  }

  /**
   * Signs a person in. Every failure is the same 401 (unknown email, wrong password, no password,
   * deactivated), checked in the same time; after 5 failures for one email from one IP within 15
   * minutes, attempts are refused (429) until the window passes. Failures and successes are audited.
   */
  async login({ email, password }: LoginRequest, meta: RequestMeta): Promise<Session> {
    const blockedMs = this.throttle.blockedFor(email, meta.ip);
    if (blockedMs > 0) throw new TooManyRequestsError(`Too many failed sign-ins; try again in ${Math.ceil(blockedMs / 60_000)} minute(s)`, blockedMs / 1000);

    const db = repositories(this.dataSource.manager);
    const user = await db.users.findWithPassword({ email });
    const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
    if (!user || !ok) {
      this.throttle.recordFailure(email, meta.ip);
      const why = !user ? 'no user has this email' : !user.active ? 'the user is deactivated' : !user.passwordHash ? 'the user has no password' : 'wrong password';
      await this.audit.record(this.dataSource.manager, { type: 'user', id: user?.id ?? null, name: user?.name ?? email, requestId: meta.requestId }, {
        action: 'auth.login_failed',
        entity: { type: 'user', id: user?.id ?? null },
        summary: `Sign-in failed for ${email} from ${meta.ip ?? 'an unknown address'}: ${why}`,
      });
      throw new UnauthorizedError(LOGIN_FAILED);
    }
    this.throttle.recordSuccess(email, meta.ip);

    const refresh = newRefreshToken();
    const now = new Date();
    const session = await this.dataSource.transaction(async (em) => {
      const tx = repositories(em);
      const created = await tx.sessions.create({ userId: user.id, refreshTokenHash: refresh.hash, expiresAt: new Date(now.getTime() + this.config.auth.refreshTtlSeconds * 1000), ip: meta.ip, userAgent: meta.userAgent });
      await tx.users.recordLogin(user.id, now);
      await this.audit.record(em, { type: 'user', id: user.id, name: user.name, requestId: meta.requestId }, {
        action: 'auth.login',
        entity: { type: 'user', id: user.id },
        summary: `${user.name} signed in from ${meta.ip ?? 'an unknown address'}`,
      });
      return created;
    });
    return this.sessionAnswer(user, session.id, refresh.token, session.expiresAt);
  }

  /**
   * A new access token for a refresh token, which is replaced (rotated): the old one stops working.
   * The sign-in itself lasts CAIRN_REFRESH_TTL from when the password was given, however often it is refreshed.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const invalid = () => new UnauthorizedError('This refresh token is not valid (signed out, expired or already used): sign in again');
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const session = await db.sessions.findByRefreshHash(sha256(refreshToken), { forUpdate: true });
      if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) throw invalid();
      const user = await db.users.findById(session.userId);
      if (!user?.active) throw invalid();
      const next = newRefreshToken();
      await db.sessions.rotate(session.id, next.hash, new Date());
      return this.sessionAnswer(user, session.id, next.token, session.expiresAt);
    });
  }

  /** Ends the sign-in the refresh token belongs to (its access tokens stop working too). Quiet when it is unknown or already ended. */
  async logout(refreshToken: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const session = await db.sessions.findByRefreshHash(sha256(refreshToken), { forUpdate: true });
      if (!session || session.revokedAt) return;
      await db.sessions.revoke(session.id, new Date());
      const user = await db.users.findById(session.userId);
      await this.audit.record(em, { type: 'user', id: session.userId, name: user?.name ?? 'unknown', requestId: meta.requestId }, {
        action: 'auth.logout',
        entity: { type: 'user', id: session.userId },
        summary: `${user?.name ?? 'A user'} signed out`,
      });
    });
  }

  async me(principal: RequestPrincipal): Promise<Me> {
    const db = repositories(this.dataSource.manager);
    if (principal.kind === 'token') {
      const token = await db.apiTokens.findById(principal.id);
      return { kind: 'token', token: { id: principal.id, name: principal.name, prefix: token?.prefix ?? '' }, permissions: permissionsOf(principal) };
    }
    const user = await db.users.findById(principal.id);
    if (!user) throw new UnauthorizedError('This user no longer exists');
    return { kind: 'user', user: toUser(user), permissions: permissionsOf(principal) };
  }

  /** The signed-in person changes their own password; their other sign-ins end. */
  async changePassword(principal: RequestPrincipal, { currentPassword, newPassword }: ChangePasswordRequest, meta: RequestMeta): Promise<void> {
    if (principal.kind !== 'user') throw new ForbiddenError('Only a signed-in person has a password to change; an API token has none');
    const db = repositories(this.dataSource.manager);
    const user = await db.users.findWithPassword({ id: principal.id });
    if (!user) throw new UnauthorizedError('This user no longer exists');
    const blockedMs = this.throttle.blockedFor(user.email, meta.ip);
    if (blockedMs > 0) throw new TooManyRequestsError(`Too many wrong passwords; try again in ${Math.ceil(blockedMs / 60_000)} minute(s)`, blockedMs / 1000);
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      this.throttle.recordFailure(user.email, meta.ip);
      throw new ValidationError('The current password is not right', [{ path: 'body.currentPassword', code: 'wrong_password', message: 'The current password is not right' }]);
    }
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (em) => {
      const tx = repositories(em);
      await tx.users.update(user.id, { passwordHash });
      const ended = await tx.sessions.revokeAllOf(user.id, new Date(), principal.sessionId);
      await this.audit.record(em, principal, {
        action: 'user.password_changed',
        entity: { type: 'user', id: user.id },
        summary: `${user.name} changed their password${ended ? ` (${ended} other session${ended === 1 ? '' : 's'} ended)` : ''}`,
      });
    });
  }

  private sessionAnswer(user: UserEntity, sessionId: string, refreshToken: string, refreshExpiresAt: Date): Session {
    const ttl = this.config.auth.sessionTtlSeconds;
    const principal: Principal = { kind: 'user', id: user.id, name: user.name, role: user.role as UserRole };
    return {
      tokenType: 'Bearer',
      accessToken: signAccessToken({ userId: user.id, sessionId }, this.key, ttl),
      expiresIn: ttl,
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: toUser(user),
      permissions: permissionsOf(principal),
    };
  }
}
