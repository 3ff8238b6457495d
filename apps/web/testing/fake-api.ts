import type { Session, UserRole } from '@cairn/contracts';
import { setSession } from '../src/api/session';

/*
 * For component specs (jsdom has no fetch): a scripted server behind `fetch`, so the real API
 * client runs, with its contract parsing and error model, against answers a spec chooses.
 */

export interface FakeCall {
  method: string;
  /** The path after /api, with its query string. */
  path: string;
  body: unknown;
}

/** The answer to a call: [status, body]; undefined is a 404. */
export type FakeRoutes = (call: FakeCall) => [number, unknown] | undefined;

export function fakeApi(routes: FakeRoutes): FakeCall[] {
  const calls: FakeCall[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: FakeCall = { method: init?.method ?? 'GET', path: String(input).replace(/^\/api/, ''), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const [status, body] = routes(call) ?? [404, { statusCode: 404, error: 'Not Found', message: `No route ${call.method} ${call.path}`, issues: [] }];
    return { ok: status >= 200 && status < 300, status, json: async () => body } as Response;
  }) as typeof fetch;
  return calls;
}

/** An API error body as the API writes it. */
export function apiError(statusCode: number, message: string) {
  return { statusCode, error: statusCode === 409 ? 'Conflict' : 'Error', message, issues: [] };
}

export const ids = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Signs a person with `role` in (the session the app would keep after a sign-in). */
export function signInAs(role: UserRole, name = 'Casey Morgan', id = ids(900)): void {
  const session: Session = {
    tokenType: 'Bearer',
    accessToken: 'access',
    expiresIn: 900,
    expiresAt: '2099-01-01T00:00:00.000Z',
    refreshToken: 'refresh',
    refreshExpiresAt: '2099-01-01T00:00:00.000Z',
    user: { id, name, email: 'someone@cairn.local', role },
    permissions: [],
  };
  setSession(session);
}
