// @ts-check
// The demo's first runs, so a new workspace opens with work in it: the shipped templates published
// and a few demo accounts in flight. Everything goes through the public API as the demo ops user,
// like any integration would (validated, authorised, audited); nothing is written behind its back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** Templates published for the demo, by key; the kickoff playbook is seeded already. */
export const DEMO_TEMPLATES = ['onboarding-30-60-90', 'low-usage-intervention', 'champion-left', 'advocacy-expansion', 'renewal-120', 'qbr-cadence'];

/**
 * What starts the demo's runs: an enrollment (by hand, with a reason) or an event that an
 * event-triggered playbook starts on. Accounts by name, from the seeded demo workspace.
 * @type {Array<{ account: string, enroll?: string, reason?: string, event?: { type: string, data: Record<string, unknown> } }>}
 */
export const DEMO_STARTS = [
  { account: 'Globex Retail', enroll: 'onboarding-30-60-90', reason: 'Demo: contract signed in September' },
  { account: 'Stark Logistics', enroll: 'onboarding-30-60-90', reason: 'Demo: new logo' },
  { account: 'Acme Analytics', enroll: 'onboarding-kickoff', reason: 'Demo: kickoff for the second business unit' },
  { account: 'Initech', event: { type: 'product.usage_dropped', data: { drop_percent: 45, metric: 'weekly_active_users' } } },
];

/**
 * @param {string} apiUrl e.g. http://127.0.0.1:3000
 * @param {{ email: string, password: string }} signIn the demo ops user
 * @param {(line: string) => void} say
 * @returns {Promise<string>} what it did, in one line
 */
export async function startDemoRuns(apiUrl, signIn, say) {
  const login = await call(apiUrl, 'POST', '/api/auth/login', null, signIn);
  const token = /** @type {string} */ (login.accessToken);
  const api = (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body) => call(apiUrl, method, path, token, body);

  // Only a workspace that has never run anything gets the demo runs: a second start, or a
  // workspace people have used, is left as it is.
  const runs = await api('GET', '/api/runs?limit=1', undefined);
  if (runs.items.length > 0) return 'the workspace has runs already; nothing to start';

  const playbooks = new Map((await api('GET', '/api/playbooks?limit=200', undefined)).items.map((/** @type {any} */ p) => [p.key, p]));
  let published = 0;
  for (const key of DEMO_TEMPLATES) {
    const existing = playbooks.get(key);
    if (existing?.latestVersion) continue;
    const document = JSON.parse(readFileSync(join(ROOT, 'packages', 'playbook', 'templates', `${key}.playbook.json`), 'utf8'));
    const playbook = existing ?? (await api('POST', '/api/playbooks', { document }));
    await api('POST', `/api/playbooks/${playbook.id}/publish`, { note: 'Published from the template library for the demo' });
    playbooks.set(key, playbook);
    published++;
  }

  const accounts = new Map((await api('GET', '/api/accounts?limit=200', undefined)).items.map((/** @type {any} */ a) => [a.name, a]));
  let started = 0;
  for (const start of DEMO_STARTS) {
    const account = accounts.get(start.account);
    if (!account) {
      say(`demo account "${start.account}" is missing; skipped`);
      continue;
    }
    if (start.enroll) {
      const playbook = playbooks.get(start.enroll);
      if (!playbook) throw new Error(`no playbook "${start.enroll}" to enroll ${start.account} in`);
      await api('POST', `/api/playbooks/${playbook.id}/enrollments`, { accountId: account.id, reason: start.reason });
    } else if (start.event) {
      await api('POST', '/api/events', { accountId: account.id, type: start.event.type, data: start.event.data, idempotencyKey: `demo:${start.event.type}:${account.id}` });
    }
    started++;
  }
  return `${published} template playbooks published, ${started} demo runs started`;
}

/**
 * @param {string} apiUrl
 * @param {string} method
 * @param {string} path
 * @param {string | null} token
 * @param {unknown} body
 * @returns {Promise<any>}
 */
async function call(apiUrl, method, path, token, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && body !== null) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, { method, headers, body: body === undefined || body === null ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}
