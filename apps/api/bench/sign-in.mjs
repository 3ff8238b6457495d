// @ts-check
// The benchmarks call the API as a seeded demo user, as any client does: sign in, send the token.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The API's environment for a benchmark: its own signing secret, and access tokens that outlive the run. */
export function benchEnv(env) {
  return { ...env, CAIRN_JWT_SECRET: 'cairn-bench-jwt-secret-0123456789-abcdefghijklmnop', CAIRN_SESSION_TTL: '1h' };
}

/**
 * Signs in as the seeded demo user of `role` (ops by default: publishes and enrolls) and returns a
 * `post(path, body)` that sends the access token and throws on an error answer.
 * @param {string} base the API's `…/api` URL
 * @param {string} [role]
 */
export async function signedInPost(base, role = 'ops') {
  const { demoUsers, DEMO_PASSWORD } = require('../dist/seed/demo-workspace.js');
  const user = demoUsers.find((/** @type {{ role: string }} */ u) => u.role === role);
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: DEMO_PASSWORD }) });
  if (!login.ok) throw new Error(`signing in as ${user.email}: ${login.status} ${await login.text()}`);
  const { accessToken } = await login.json();
  return async (/** @type {string} */ path, /** @type {unknown} */ body) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}
