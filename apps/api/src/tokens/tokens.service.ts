import type { ApiToken, ApiTokenPage, CreatedToken, CreateTokenRequest, ListTokensQuery, TokenScope } from '@cairn/contracts';
import { type ApiTokenEntity, repositories } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { newApiToken } from '../auth/secrets';
import { isoOrNull } from '../common/dates';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { NotFoundError } from '../common/errors';
import { pageOf } from '../common/page';

function toApiToken(t: ApiTokenEntity, createdBy: { id: string; name: string } | null): ApiToken {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as TokenScope[],
    createdBy,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    expiresAt: isoOrNull(t.expiresAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}

const creatorOf = (t: ApiTokenEntity) => (t.createdBy ? { id: t.createdBy.id, name: t.createdBy.name } : null);

/** API tokens for integrations: scoped, shown once, stored as a SHA-256, revocable. */
@Injectable()
export class TokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Tokens newest first (created, then id); `status` keeps active, revoked or expired ones. */
  async list({ limit, cursor, status }: ListTokensQuery): Promise<ApiTokenPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const found = await repositories(this.dataSource.manager).apiTokens.page({ status, now: new Date() }, { take: limit + 1, after });
    return pageOf(found, limit, (t) => toApiToken(t, creatorOf(t)), (last) => encodeCursor(last.createdAt, last.id));
  }

  async create(principal: RequestPrincipal, { name, scopes, expiresAt }: CreateTokenRequest): Promise<CreatedToken> {
    const secret = newApiToken();
    return this.dataSource.transaction(async (em) => {
      const token = await repositories(em).apiTokens.insert({
        name,
        tokenHash: secret.hash,
        prefix: secret.prefix,
        scopes,
        createdById: principal.kind === 'user' ? principal.id : null,
        expiresAt: expiresAt ? new Date(expiresAt) : null,
      });
      await this.audit.record(em, principal, {
        action: 'token.created',
        entity: { type: 'token', id: token.id },
        summary: `${principal.name} created the API token "${name}" (${secret.prefix}…) with ${scopes.join(', ')}`,
        changes: { after: { name, prefix: secret.prefix, scopes, expiresAt: expiresAt ?? null } },
      });
      return { ...toApiToken(token, principal.kind === 'user' ? { id: principal.id, name: principal.name } : null), token: secret.token };
    });
  }

  /** Revokes a token at once (its next request gets 401). Revoking a revoked token changes nothing. */
  async revoke(principal: RequestPrincipal, id: string): Promise<ApiToken> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const token = await db.apiTokens.findById(id, { forUpdate: true });
      if (!token) throw new NotFoundError('API token', id);
      if (!token.revokedAt) {
        await db.apiTokens.revoke(id, new Date());
        await this.audit.record(em, principal, {
          action: 'token.revoked',
          entity: { type: 'token', id },
          summary: `${principal.name} revoked the API token "${token.name}" (${token.prefix}…)`,
          changes: { before: { revokedAt: null }, after: { revoked: true } },
        });
      }
      const saved = await db.apiTokens.findById(id);
      if (!saved) throw new NotFoundError('API token', id);
      return toApiToken(saved, creatorOf(saved));
    });
  }
}
