import jwt from 'jsonwebtoken';
import { signAccessToken, signingKey, verifyAccessToken } from './access-tokens';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const claims = { userId: '00000000-0000-4000-8000-000000000001', sessionId: '00000000-0000-4000-8000-000000000002' };

describe('access tokens', () => {
  it('round-trips the user and the session', () => {
    expect(verifyAccessToken(signAccessToken(claims, secret, 60), secret)).toEqual({ ok: true, claims });
  });

  it('takes the secret as a key made once, and checks tokens signed with the string alike', () => {
    const key = signingKey(secret);
    expect(verifyAccessToken(signAccessToken(claims, secret, 60), key)).toEqual({ ok: true, claims });
    expect(verifyAccessToken(signAccessToken(claims, key, 60), secret)).toEqual({ ok: true, claims });
    expect(verifyAccessToken(signAccessToken(claims, key, 60), signingKey('another-secret-another-secret-another'))).toEqual({ ok: false, reason: 'invalid' });
  });

  const forged: Array<[string, () => string, 'expired' | 'invalid']> = [
    ['expired', () => jwt.sign({ sid: claims.sessionId, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { subject: claims.userId, issuer: 'cairn', audience: 'cairn-api' }), 'expired'],
    ['signed with another secret', () => signAccessToken(claims, 'another-secret-another-secret-another', 60), 'invalid'],
    ['unsigned (alg none)', () => jwt.sign({ sid: claims.sessionId }, '', { algorithm: 'none', subject: claims.userId, issuer: 'cairn', audience: 'cairn-api' }), 'invalid'],
    ['for another audience', () => jwt.sign({ sid: claims.sessionId }, secret, { subject: claims.userId, issuer: 'cairn', audience: 'elsewhere' }), 'invalid'],
    ['from another issuer', () => jwt.sign({ sid: claims.sessionId }, secret, { subject: claims.userId, issuer: 'someone', audience: 'cairn-api' }), 'invalid'],
    ['without a session', () => jwt.sign({}, secret, { subject: claims.userId, issuer: 'cairn', audience: 'cairn-api' }), 'invalid'],
    ['HS512 instead of HS256', () => jwt.sign({ sid: claims.sessionId }, secret, { algorithm: 'HS512', subject: claims.userId, issuer: 'cairn', audience: 'cairn-api' }), 'invalid'],
    ['garbage', () => 'not.a.jwt', 'invalid'],
  ];

  it.each(forged)('refuses a token %s', (_name, make, reason) => {
    expect(verifyAccessToken(make(), secret)).toEqual({ ok: false, reason });
  });
});
