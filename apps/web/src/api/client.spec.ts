import type { Session } from '@cairn/contracts';
import { api, ApiRequestError, listQuery } from './client';
import { getSession, setSession } from './session';

/*
 * The client's session handling against a scripted server (fetch replaced for the test): the
 * bearer token goes out, a 401 refreshes once (once for requests that fail together) and retries,
 * and a sign-in that is over clears the session. The browser tests cover the real API.
 */

const user = { id: '00000000-0000-4000-8000-000000000001', name: 'Casey Morgan', email: 'casey@cairn.local', role: 'csm' as const };
const session = (n: number): Session => ({
  tokenType: 'Bearer',
  accessToken: `access-${n}`,
  expiresIn: 900,
  expiresAt: '2026-11-23T10:15:00.000Z',
  refreshToken: `refresh-${n}`,
  refreshExpiresAt: '2026-11-23T22:00:00.000Z',
  user,
  permissions: ['approvals:read', 'approvals:decide'],
});

interface Call {
  path: string;
  authorization: string | null;
  body: unknown;
}

function serve(answer: (call: Call) => [number, unknown]): Call[] {
  const calls: Call[] = [];
  global.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const call = { path: String(input), authorization: headers.get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const [status, body] = answer(call);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return calls;
}

const unauthorized = { statusCode: 401, error: 'unauthorized', message: 'The session has expired: refresh it or sign in again', issues: [] };

describe('the API client and the session', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
    setSession(null);
  });

  it('sends the access token of the session', async () => {
    setSession(session(1));
    const calls = serve(() => [200, { items: [], nextCursor: null }]);
    await api.approvals();
    expect(calls).toEqual([{ path: '/api/approvals?status=pending', authorization: 'Bearer access-1', body: undefined }]);
  });

  it('refreshes once on 401, for every request that failed together, and retries with the new token', async () => {
    setSession(session(1));
    const calls = serve((call) => {
      if (call.path === '/api/auth/refresh') return [200, session(2)];
      if (call.authorization !== 'Bearer access-2') return [401, unauthorized];
      return [200, { items: [], nextCursor: null }];
    });
    await Promise.all([api.approvals(), api.runs(), api.playbooks()]);
    expect(calls.filter((c) => c.path === '/api/auth/refresh')).toEqual([{ path: '/api/auth/refresh', authorization: null, body: { refreshToken: 'refresh-1' } }]);
    expect(calls.filter((c) => c.authorization === 'Bearer access-2').map((c) => c.path).sort()).toEqual(['/api/approvals?status=pending', '/api/playbooks', '/api/runs']);
    expect(getSession()?.accessToken).toBe('access-2');
  });

  it('clears the session when the sign-in is over', async () => {
    setSession(session(1));
    serve(() => [401, unauthorized]);
    await expect(api.runs()).rejects.toEqual(new ApiRequestError('Your sign-in has ended; sign in again', 401));
    expect(getSession()).toBeNull();
  });

  it('signs in without refreshing a stale session, and shows the one message a wrong password gets', async () => {
    setSession(session(1));
    const calls = serve(() => [401, { ...unauthorized, message: 'The email or password is not right' }]);
    await expect(api.signIn('casey@cairn.local', 'wrong')).rejects.toEqual(new ApiRequestError('The email or password is not right', 401));
    expect(calls.map((c) => [c.path, c.authorization])).toEqual([['/api/auth/login', null]]);
  });

  it('signs out on the server and here', async () => {
    setSession(session(3));
    const calls = serve(() => [204, null]);
    await api.signOut();
    expect(getSession()).toBeNull();
    expect(calls).toEqual([{ path: '/api/auth/logout', authorization: null, body: { refreshToken: 'refresh-3' } }]);
  });
});

describe('list queries', () => {
  it.each([
    ['nothing', {}, ''],
    ['a cursor and a limit', { cursor: 'abc', limit: 20 }, '?cursor=abc&limit=20'],
    ['unset and empty filters are left out', { q: '', ownerId: undefined, health: 'red' }, '?health=red'],
    ['text is encoded', { q: 'a&b c' }, '?q=a%26b+c'],
    ['booleans', { includeArchived: true }, '?includeArchived=true'],
  ])('%s', (_name, params, expected) => {
    expect(listQuery(params)).toBe(expected);
  });

  it('asks for the next page with the cursor and parses the page', async () => {
    setSession(session(1));
    const calls = serve(() => [200, { items: [], nextCursor: null }]);
    expect(await api.runs({ cursor: 'next', status: 'running' })).toEqual({ items: [], nextCursor: null });
    expect(calls.map((c) => c.path)).toEqual(['/api/runs?cursor=next&status=running']);
  });
});
