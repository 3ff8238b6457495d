import type { EntityManager } from 'typeorm';
import { exactTimeOf, type KeysetPage } from '../common/keyset';
import { ApiTokenEntity } from './api-token.entity';

/** API tokens, found by the SHA-256 of their secret. */
export class ApiTokensRepository {
  constructor(private readonly em: EntityManager) {}

  insert(fields: { name: string; tokenHash: string; prefix: string; scopes: string[]; createdById: string | null; expiresAt: Date | null }): Promise<ApiTokenEntity> {
    return this.em.save(this.em.create(ApiTokenEntity, { ...fields, lastUsedAt: null, revokedAt: null }));
  }

  /**
   * Newest first (created, then id), after `page.after`, with who created each. `active`: neither
   * revoked nor expired at `now`; `expired`: not revoked, past its expiry.
   */
  page(filter: { status?: 'active' | 'revoked' | 'expired'; now: Date }, page: KeysetPage<{ at: string }>): Promise<ApiTokenEntity[]> {
    const q = this.em.createQueryBuilder(ApiTokenEntity, 't').leftJoinAndSelect('t.createdBy', 'c').orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(page.take);
    if (filter.status === 'active') q.andWhere('t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)', { now: filter.now });
    if (filter.status === 'revoked') q.andWhere('t.revoked_at IS NOT NULL');
    if (filter.status === 'expired') q.andWhere('t.revoked_at IS NULL AND t.expires_at <= :now', { now: filter.now });
    if (page.after) q.andWhere(`(t.created_at, t.id) < (${exactTimeOf('api_tokens', 'created_at', 'at', 'id')}, :id::uuid)`, page.after);
    return q.getMany();
  }

  findById(id: string, options: { forUpdate?: boolean } = {}): Promise<ApiTokenEntity | null> {
    return this.em.findOne(ApiTokenEntity, { where: { id }, relations: options.forUpdate ? {} : { createdBy: true }, ...(options.forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  /** The token with this secret, while it is neither revoked nor expired (on the path of every token request, so plain SQL). */
  async findUsable(tokenHash: string): Promise<Pick<ApiTokenEntity, 'id' | 'name' | 'scopes'> | null> {
    const rows: Array<Pick<ApiTokenEntity, 'id' | 'name' | 'scopes'>> = await this.em.query(
      `SELECT id, name, scopes FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** id → name, for labelling what tokens did. */
  async namesByIds(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.em.query(`SELECT id, name FROM api_tokens WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.em.update(ApiTokenEntity, { id }, { revokedAt: at });
  }

  /** Notes the token was used, at most once a minute (one write per token and minute, not per request). */
  async touch(id: string): Promise<void> {
    await this.em.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [id]);
  }
}
