import { createHash, randomBytes } from 'node:crypto';

/** API tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const API_TOKEN_PREFIX = 'cairn_pat_';
const REFRESH_TOKEN_PREFIX = 'cairn_rt_';
/** How much of a token's secret its visible prefix shows. */
const VISIBLE = 8;

/** SHA-256 (hex): how refresh tokens and API tokens are stored and looked up. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new API token: the secret (shown once), its hash and its visible prefix. */
export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + VISIBLE) };
}

export function isApiToken(credential: string): boolean {
  return credential.startsWith(API_TOKEN_PREFIX);
}

/** A new opaque refresh token and its hash. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token) };
}
