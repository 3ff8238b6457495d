import { DEV_JWT_SECRET, loadConfig } from './config';

const SECRET = 'a-random-production-secret-0123456789-abcdefgh';

describe('loadConfig: sign-in settings', () => {
  type Ok = [name: string, env: NodeJS.ProcessEnv, expected: { jwtSecret: string; jwtSecretIsDefault: boolean; sessionTtlSeconds: number; refreshTtlSeconds: number }];
  const ok: Ok[] = [
    ['the development defaults', {}, { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true, sessionTtlSeconds: 900, refreshTtlSeconds: 43_200 }],
    ['a secret of its own', { CAIRN_JWT_SECRET: SECRET }, { jwtSecret: SECRET, jwtSecretIsDefault: false, sessionTtlSeconds: 900, refreshTtlSeconds: 43_200 }],
    ['production with a secret', { NODE_ENV: 'production', CAIRN_JWT_SECRET: SECRET }, { jwtSecret: SECRET, jwtSecretIsDefault: false, sessionTtlSeconds: 900, refreshTtlSeconds: 43_200 }],
    ['lifetimes in seconds', { CAIRN_SESSION_TTL: '60', CAIRN_REFRESH_TTL: '3600' }, { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true, sessionTtlSeconds: 60, refreshTtlSeconds: 3600 }],
    ['lifetimes in words', { CAIRN_SESSION_TTL: '5 minutes', CAIRN_REFRESH_TTL: '1d' }, { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true, sessionTtlSeconds: 300, refreshTtlSeconds: 86_400 }],
    ['ISO 8601 lifetimes', { CAIRN_SESSION_TTL: 'PT10M', CAIRN_REFRESH_TTL: 'PT8H' }, { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true, sessionTtlSeconds: 600, refreshTtlSeconds: 28_800 }],
    ['empty values as unset', { CAIRN_JWT_SECRET: '', CAIRN_SESSION_TTL: '' }, { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true, sessionTtlSeconds: 900, refreshTtlSeconds: 43_200 }],
  ];

  it.each(ok)('%s', (_name, env, expected) => {
    expect(loadConfig(env).auth).toEqual(expected);
  });

  const refused: Array<[name: string, env: NodeJS.ProcessEnv, message: RegExp]> = [
    ['production without a secret (fail fast)', { NODE_ENV: 'production' }, /CAIRN_JWT_SECRET must be set when NODE_ENV=production/],
    ['production with a short secret', { NODE_ENV: 'production', CAIRN_JWT_SECRET: 'short' }, /CAIRN_JWT_SECRET is too short/],
    ['production with the public development secret', { NODE_ENV: 'production', CAIRN_JWT_SECRET: DEV_JWT_SECRET }, /public development secret/],
    ['a lifetime that is not one', { CAIRN_SESSION_TTL: 'a while' }, /CAIRN_SESSION_TTL="a while" is not a duration/],
    ['a lifetime under a second', { CAIRN_REFRESH_TTL: '0' }, /CAIRN_REFRESH_TTL="0" is not a duration/],
  ];

  it.each(refused)('refuses %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: response validation', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['off by default', {}, false],
    ['on under jest (NODE_ENV=test)', { NODE_ENV: 'test' }, true],
    ['off in production', { NODE_ENV: 'production', CAIRN_JWT_SECRET: SECRET }, false],
    ['on by the flag', { CAIRN_VALIDATE_RESPONSES: '1' }, true],
    ['on by the flag in production', { NODE_ENV: 'production', CAIRN_JWT_SECRET: SECRET, CAIRN_VALIDATE_RESPONSES: 'true' }, true],
    ['off by the flag in tests', { NODE_ENV: 'test', CAIRN_VALIDATE_RESPONSES: 'off' }, false],
    ['an empty flag as unset', { NODE_ENV: 'test', CAIRN_VALIDATE_RESPONSES: '' }, true],
  ])('%s', (_name, env, expected) => {
    expect(loadConfig(env).validateResponses).toBe(expected);
  });

  it('refuses a flag that is neither on nor off', () => {
    expect(() => loadConfig({ CAIRN_VALIDATE_RESPONSES: 'maybe' })).toThrow(/CAIRN_VALIDATE_RESPONSES="maybe"/);
  });
});
