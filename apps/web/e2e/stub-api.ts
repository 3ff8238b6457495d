import { type ApiError, type Playbook, playbookSchema, type PlaybookSummary, playbookSummaryPageSchema, playbookSummarySchema, type PlaybookVersion, playbookVersionSchema, publishResponseSchema, type Run, runSchema, savedDraftSchema, type Session, sessionSchema } from '@cairn/contracts';
import { compilePlaybook, parsePlaybookDocument, playbookDocumentSchema, templates } from '@cairn/playbook';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SCREENSHOTS } from './browser';

/*
 * Fixed API answers for the canvas-focused browser test, so it can show runs in states the real
 * stack reaches only after days (a run on its approval). Every answer is parsed with the same
 * @cairn/contracts schemas the API answers with, so it cannot drift from the contract. The browser
 * test against the real API, worker, Postgres and Temporal is e2e/stack/real-stack.e2e.spec.ts.
 */

export const IDS = {
  playbook: '11111111-1111-4111-8111-111111111111',
  version: '22222222-2222-4222-8222-222222222222',
  run: '33333333-3333-4333-8333-333333333333',
  account: '44444444-4444-4444-8444-444444444444',
};
const T0 = '2026-01-05T09:00:00.000Z';
const T3 = '2026-01-08T09:00:00.000Z';

const document = playbookDocumentSchema.parse(templates['onboarding-kickoff']);

export const playbook: Playbook = playbookSchema.parse({
  id: IDS.playbook,
  key: document.key,
  name: document.name,
  description: document.description,
  kind: document.kind,
  draft: document,
  versions: [{ id: IDS.version, version: 1, hash: 'sha256:0f3a9c1e2b7d', publishedAt: T0, publishedBy: 'ops@cairn.test', note: 'First version' }],
  draftRevision: 1,
  archivedAt: null,
  createdAt: T0,
  updatedAt: T0,
});

const summary: PlaybookSummary = playbookSummarySchema.parse({ ...playbook, draft: undefined, versions: undefined, draftRevision: undefined, latestVersion: 1 });

const version: PlaybookVersion = playbookVersionSchema.parse({ ...playbook.versions[0], playbookId: IDS.playbook, document });

/** A run three days in: the trigger and the wait are done, the CSM's approval is pending. */
export const run: Run = runSchema.parse({
  id: IDS.run,
  workflowId: `run-${IDS.run}`,
  playbookId: IDS.playbook,
  playbookKey: document.key,
  playbookName: document.name,
  playbookVersionId: IDS.version,
  version: 1,
  planHash: 'sha256:0f3a9c1e2b7d4a55',
  accountId: IDS.account,
  accountName: 'Initech',
  status: 'running',
  currentNodeId: 'approve-kickoff',
  enrolledBy: 'ops@cairn.test',
  reason: 'New customer: signed 2026-01-02',
  startedAt: T0,
  endedAt: null,
  steps: [
    { id: '55555555-5555-4555-8555-000000000001', nodeId: 'start', nodeType: 'trigger', status: 'completed', visit: 0, outcome: 'next', startedReason: 'Account enrolled', reason: 'Enrolled manually', startedAt: T0, completedAt: T0 },
    { id: '55555555-5555-4555-8555-000000000002', nodeId: 'wait-3d', nodeType: 'wait', status: 'completed', visit: 0, outcome: 'next', startedReason: 'Waiting 3 days', reason: 'Waited 3 days', startedAt: T0, completedAt: T3 },
    { id: '55555555-5555-4555-8555-000000000003', nodeId: 'approve-kickoff', nodeType: 'approval', status: 'waiting', visit: 0, outcome: null, startedReason: 'Waiting for the account CSM', reason: 'Waiting for the account CSM', startedAt: T3, completedAt: null },
  ],
});

const notFound = (what: string): ApiError => ({ statusCode: 404, error: 'Not Found', message: `${what} not found`, issues: [] });

/** The one person the stub lets sign in, and the session it gives. */
export const STUB_USER = { email: 'casey@cairn.local', password: 'cairn-demo-password' };
const session: Session = sessionSchema.parse({
  tokenType: 'Bearer',
  accessToken: 'stub-access-token',
  expiresIn: 900,
  expiresAt: '2099-01-01T00:00:00.000Z',
  refreshToken: 'stub-refresh-token',
  refreshExpiresAt: '2099-01-01T00:00:00.000Z',
  user: { id: '66666666-6666-4666-8666-666666666666', name: 'Casey Morgan', email: STUB_USER.email, role: 'csm' },
  permissions: ['accounts:read', 'playbooks:read', 'runs:read', 'approvals:read', 'tasks:read', 'accounts:write', 'runs:cancel', 'approvals:decide', 'tasks:complete'],
});
/** An ops user (may design and publish), for the builder's browser test. */
export const STUB_OPS_USER = { email: 'olivia@cairn.local', password: 'cairn-demo-password' };
const opsSession: Session = sessionSchema.parse({
  ...session,
  accessToken: 'stub-ops-access-token',
  refreshToken: 'stub-ops-refresh-token',
  user: { id: '77777777-7777-4777-8777-777777777777', name: 'Olivia Park', email: STUB_OPS_USER.email, role: 'ops' },
  permissions: [...session.permissions, 'playbooks:write', 'playbooks:publish'],
});
const unauthorized = (message: string): ApiError => ({ statusCode: 401, error: 'unauthorized', message, issues: [] });

/** Reads a request body as JSON (null when there is none or it is not JSON). */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      try {
        resolve(raw ? JSON.parse(raw) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

const routes: Array<[RegExp, (match: RegExpMatchArray) => unknown]> = [
  [/^\/api\/playbooks$/, () => playbookSummaryPageSchema.parse({ items: [summary], nextCursor: null })],
  [/^\/api\/playbooks\/([^/]+)$/, (m) => (m[1] === IDS.playbook ? playbook : notFound(`Playbook ${m[1]}`))],
  [/^\/api\/playbook-versions\/([^/]+)$/, (m) => (m[1] === IDS.version ? version : notFound(`Playbook version ${m[1]}`))],
  [/^\/api\/runs\/([^/]+)$/, (m) => (m[1] === IDS.run ? run : notFound(`Run ${m[1]}`))],
  [/^\/api\/runs\/([^/]+)\/emails$/, (m) => (m[1] === IDS.run ? { items: [], nextCursor: null } : notFound(`Run ${m[1]}`))],
  // The condition builder's attributes: the built-in fields and one of the workspace's own.
  [
    /^\/api\/account-fields$/,
    () => ({
      items: ['arr', 'plan', 'seats', 'industry', 'region', 'start_date', 'renewal_date', 'lifecycle_stage', 'nps_score'].map((key, position) => ({ key, label: key, description: '', type: 'string', options: [], currency: null, required: false, builtIn: key !== 'nps_score', position })),
      nextCursor: null,
    }),
  ],
];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

/** Serves the built app from `dist` (unknown paths fall back to index.html, as a SPA host does) and the stub API. */
/** The stub's sign-in: the API's shapes and its one 401 message; every other /api call needs the stub's access token. */
async function auth(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
  if (req.method === 'POST' && path === '/api/auth/login') {
    const body = (await readJson(req)) as { email?: string; password?: string } | null;
    if (body?.email === STUB_USER.email && body.password === STUB_USER.password) json(200, session);
    else if (body?.email === STUB_OPS_USER.email && body.password === STUB_OPS_USER.password) json(200, opsSession);
    else json(401, unauthorized('The email or password is not right'));
    return true;
  }
  if (req.method === 'POST' && path === '/api/auth/refresh') {
    const body = (await readJson(req)) as { refreshToken?: string } | null;
    if (body?.refreshToken === session.refreshToken) json(200, session);
    else if (body?.refreshToken === opsSession.refreshToken) json(200, opsSession);
    else json(401, unauthorized('This refresh token is not valid'));
    return true;
  }
  if (req.method === 'POST' && path === '/api/auth/logout') {
    json(204, undefined);
    return true;
  }
  if (req.headers.authorization !== `Bearer ${session.accessToken}` && req.headers.authorization !== `Bearer ${opsSession.accessToken}`) {
    json(401, unauthorized('Sign in first'));
    return true;
  }
  return false;
}

/**
 * The editor's writes, on this server's own copy of the playbook: draft saves with the revision
 * check (409 when stale) and publishing (the compiler refuses an invalid draft with its issues).
 */
function editorRoutes(state: { playbook: Playbook; bodies: unknown[] }) {
  return async (req: IncomingMessage, path: string): Promise<[number, unknown] | null> => {
    const draftPath = `/api/playbooks/${IDS.playbook}/draft`;
    const publishPath = `/api/playbooks/${IDS.playbook}/publish`;
    if (req.method === 'PUT' && path === draftPath) {
      const body = (await readJson(req)) as { document?: unknown; baseRevision?: number } | null;
      state.bodies.push(body);
      if (body?.baseRevision !== undefined && body.baseRevision !== state.playbook.draftRevision) return [409, { statusCode: 409, error: 'conflict', message: 'Someone saved this draft since', issues: [] }];
      const parsed = parsePlaybookDocument(body?.document);
      if (!parsed.ok) return [400, { statusCode: 400, error: 'invalid_playbook', message: 'The draft is not a playbook document', issues: parsed.diagnostics }];
      state.playbook = playbookSchema.parse({ ...state.playbook, draft: parsed.document, draftRevision: state.playbook.draftRevision + 1 });
      return [200, savedDraftSchema.parse({ ...state.playbook, diagnostics: compilePlaybook(parsed.document).diagnostics })];
    }
    if (req.method === 'POST' && path === publishPath) {
      const body = ((await readJson(req)) ?? {}) as { note?: string; inFlight?: 'finish' | 'exit' };
      state.bodies.push(body);
      const compiled = compilePlaybook(state.playbook.draft);
      if (!compiled.ok) return [400, { statusCode: 400, error: 'invalid_playbook', message: 'The playbook has errors', issues: compiled.diagnostics }];
      const version = state.playbook.versions.length + 1;
      const summary = { id: `22222222-2222-4222-8222-00000000000${version}`, version, hash: compiled.plan.hash, publishedAt: T3, publishedBy: 'Olivia Park', note: body.note ?? '' };
      state.playbook = playbookSchema.parse({ ...state.playbook, versions: [summary, ...state.playbook.versions] });
      return [201, publishResponseSchema.parse({ ...summary, playbookId: IDS.playbook, warnings: [], inFlight: { policy: body.inFlight ?? 'finish', running: 2, exited: body.inFlight === 'exit' ? 2 : 0 }, schedule: 'none' })];
    }
    if (req.method === 'GET' && path === `/api/playbooks/${IDS.playbook}`) return [200, state.playbook];
    return null;
  };
}

export async function startStubServer(dist: string): Promise<{ url: string; requests: string[]; editorBodies: unknown[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const state = { playbook, bodies: [] as unknown[] };
  const editor = editorRoutes(state);
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/api/')) {
      requests.push(`${req.method} ${req.url}${req.headers.authorization ? ' (signed in)' : ''}`);
      if (await auth(req, res, path)) return;
      const written = await editor(req, path);
      if (written) {
        res.writeHead(written[0], { 'content-type': 'application/json' }).end(JSON.stringify(written[1]));
        return;
      }
      for (const [pattern, answer] of routes) {
        const match = path.match(pattern);
        if (req.method === 'GET' && match) {
          const body = answer(match);
          const status = (body as Partial<ApiError>).statusCode ?? 200;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
          return;
        }
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(notFound(`${req.method} ${path}`)));
      return;
    }
    const file = normalize(join(dist, path));
    const inside = file.startsWith(dist + sep);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(dist, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    editorBodies: state.bodies,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The built web app the stub serves. */
const DIST = join(__dirname, '..', 'dist');

/** A stub suite's browser: the stub server, Chromium and a page that collects console errors (each suite expects none). */
export interface StubSession {
  server: Awaited<ReturnType<typeof startStubServer>>;
  browser: Browser;
  page: Page;
  consoleErrors: string[];
  close: () => Promise<void>;
}

/** Serves the built app behind the stub API and opens it in a new Chromium page of this size. */
export async function openStubSession(viewport: { width: number; height: number }): Promise<StubSession> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`No build in ${DIST}: run \`npx nx run web:build\` first`);
  const server = await startStubServer(DIST);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { server, browser, page, consoleErrors, close: async () => {
    await browser.close();
    await server.close();
  } };
}
