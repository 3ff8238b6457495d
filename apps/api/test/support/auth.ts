import { sessionSchema, type UserRole } from '@cairn/contracts';
import { DEMO_PASSWORD, demoUsers } from '../../src/seed/demo-workspace';

/** The signing secret the tests' API instances use (not the public development one). */
export const TEST_JWT_SECRET = 'cairn-test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** The environment an API under test gets: the given one with the test secret, every answer checked against its schema. */
export function testEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, CAIRN_JWT_SECRET: TEST_JWT_SECRET, CAIRN_VALIDATE_RESPONSES: '1' };
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Calls the API at `base` (…/api) with a bearer token, or none. */
export type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>;

export function callerFor(base: string, token: string | null): Caller {
  return async (method, path, body) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') && text;
    return { status: response.status, body: json ? (JSON.parse(text) as unknown) : text, headers: response.headers };
  };
}

/** The seeded demo user of each role (Casey is a CSM reporting to Morgan, the CS manager). */
export const DEMO_EMAIL: Record<UserRole, string> = Object.fromEntries(demoUsers.map((u) => [u.role, u.email])) as Record<UserRole, string>;

/** Signs in with email and password; returns the whole session. */
export async function signIn(base: string, email: string, password = DEMO_PASSWORD) {
  const response = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`signing in as ${email} answered ${response.status}: ${await response.text()}`);
  return sessionSchema.parse(await response.json());
}

/** A caller signed in as the seeded demo user of `role`. */
export async function signInAs(base: string, role: UserRole): Promise<Caller> {
  return callerFor(base, (await signIn(base, DEMO_EMAIL[role])).accessToken);
}

/** The OpenAPI document, served beside the API at /docs-json (outside the /api prefix), to anyone. */
export async function openApiDocument<T = { paths: Record<string, Record<string, unknown>> }>(base: string): Promise<T> {
  const response = await fetch(`${base.replace(/\/api$/, '')}/docs-json`);
  if (response.status !== 200) throw new Error(`GET /docs-json answered ${response.status}`);
  return (await response.json()) as T;
}
