import { can, type Permission, type Principal, type TokenScope, TOKEN_SCOPES, userRoleSchema } from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import type { RouteAccess } from '../src/auth/access.decorators';
import { assertEveryRouteDeclaresAccess, declaredRoutes } from '../src/auth/routes';
import { loadConfig } from '../src/config';
import { seedDemoWorkspace } from '../src/seed/seed';
import { randomUUID } from 'node:crypto';
import { type Answer, type Caller, callerFor, signIn, signInAs, DEMO_EMAIL, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';
import { approveThenTaskPlaybook } from './support/playbooks';

/**
 * THE AUTHORIZATION MATRIX: every route Nest mounted (read from the Express router, not from a
 * hand list) × every role, API tokens and nobody. Each route has an entry below saying what it
 * needs; a route without one fails the first test, so a new endpoint cannot ship unclassified.
 *
 * Requests are made so that they change nothing when allowed: path ids that are not uuids and
 * bodies that fail validation (400 comes after the guard), or reads. "Allowed" means any answer
 * but 401 and 403; refused means exactly 401 (nobody signed in) or 403 naming the permission.
 */

type Needs = 'public' | 'signed-in' | Permission;

interface Entry {
  needs: Needs;
  /** The path to call, when the route's own (`:id` → not-a-uuid) would not do. */
  path?: string;
  body?: unknown;
  /** Served by Swagger's own Express handlers, outside Nest's controllers (public by design). */
  docs?: true;
}

const NOT_A_UUID = 'not-a-uuid';

/** Every route, and what it needs. Add the new route here with the permission it declares. */
const MATRIX: Record<string, Entry> = {
  'GET /api/health': { needs: 'public' },
  'GET /docs': { needs: 'public', docs: true },
  'GET /docs/': { needs: 'public', docs: true },
  'GET /docs/index.html': { needs: 'public', docs: true },
  'GET /docs/swagger-ui-init.js': { needs: 'public', docs: true },
  'GET /docs/docs/swagger-ui-init.js': { needs: 'public', docs: true },
  'GET /docs/LICENSE': { needs: 'public', docs: true },
  'GET /docs-json': { needs: 'public', docs: true },
  'GET /docs-yaml': { needs: 'public', docs: true },
  'POST /api/auth/login': { needs: 'public', body: {} },
  'POST /api/auth/refresh': { needs: 'public', body: {} },
  'POST /api/auth/logout': { needs: 'public', body: {} },
  'GET /api/auth/me': { needs: 'signed-in' },
  'PUT /api/auth/password': { needs: 'signed-in', body: {} },
  'GET /api/users': { needs: 'users:manage' },
  'POST /api/users': { needs: 'users:manage', body: {} },
  'PATCH /api/users/:id': { needs: 'users:manage', body: {} },
  'GET /api/tokens': { needs: 'tokens:manage' },
  'POST /api/tokens': { needs: 'tokens:manage', body: {} },
  'DELETE /api/tokens/:id': { needs: 'tokens:manage' },
  'GET /api/audit': { needs: 'audit:read' },
  'GET /api/accounts': { needs: 'accounts:read' },
  'GET /api/accounts/:id': { needs: 'accounts:read' },
  'PATCH /api/accounts/:id': { needs: 'accounts:write', body: {} },
  'GET /api/accounts/:id/events': { needs: 'accounts:read' },
  'POST /api/accounts': { needs: 'accounts:manage', body: {} },
  'POST /api/accounts/import': { needs: 'accounts:manage', body: {} },
  'GET /api/account-fields': { needs: 'accounts:read' },
  'POST /api/account-fields': { needs: 'accounts:manage', body: {} },
  'PATCH /api/account-fields/:key': { needs: 'accounts:manage', body: {} },
  'POST /api/events': { needs: 'events:write', body: {} },
  'GET /api/segments': { needs: 'accounts:read' },
  'POST /api/segments': { needs: 'segments:write', body: {} },
  'POST /api/segments/preview': { needs: 'accounts:read', body: {} },
  'GET /api/segments/:id': { needs: 'accounts:read' },
  'PATCH /api/segments/:id': { needs: 'segments:write', body: {} },
  'POST /api/segments/:id/archive': { needs: 'segments:write' },
  'GET /api/segments/:id/members': { needs: 'accounts:read' },
  'GET /api/accounts/:id/segments': { needs: 'accounts:read' },
  'PUT /api/accounts/:id/segment': { needs: 'accounts:write', body: {} },
  'GET /api/accounts/:id/stakeholders': { needs: 'accounts:read' },
  'POST /api/accounts/:id/stakeholders': { needs: 'accounts:write', body: {} },
  'GET /api/accounts/:id/stakeholders/history': { needs: 'accounts:read' },
  'GET /api/accounts/:id/stakeholders/:sid': { needs: 'accounts:read' },
  'PATCH /api/accounts/:id/stakeholders/:sid': { needs: 'accounts:write', body: {} },
  'POST /api/accounts/:id/stakeholders/:sid/left': { needs: 'accounts:write', body: {} },
  'DELETE /api/accounts/:id/stakeholders/:sid': { needs: 'accounts:write', body: {} },
  'GET /api/accounts/:id/stakeholders/:sid/history': { needs: 'accounts:read' },
  'GET /api/accounts/:id/success-plan': { needs: 'accounts:read' },
  'PUT /api/accounts/:id/success-plan': { needs: 'accounts:write', body: {} },
  'POST /api/accounts/:id/success-plan/objectives': { needs: 'accounts:write', body: {} },
  'PATCH /api/accounts/:id/success-plan/objectives/:objectiveId': { needs: 'accounts:write', body: {} },
  'DELETE /api/accounts/:id/success-plan/objectives/:objectiveId': { needs: 'accounts:write' },
  'POST /api/accounts/:id/success-plan/objectives/:objectiveId/agreement': { needs: 'accounts:write', body: {} },
  'GET /api/health/ready': { needs: 'public' },
  'GET /api/playbooks': { needs: 'playbooks:read' },
  'GET /api/playbooks/:id': { needs: 'playbooks:read' },
  'GET /api/playbooks/:id/versions': { needs: 'playbooks:read' },
  'GET /api/playbook-versions/:id': { needs: 'playbooks:read' },
  'GET /api/playbooks/:id/diff': { needs: 'playbooks:read' },
  'POST /api/playbooks/:id/archive': { needs: 'playbooks:publish', body: {} },
  'POST /api/playbooks/:id/unarchive': { needs: 'playbooks:publish' },
  'POST /api/playbooks': { needs: 'playbooks:write', body: {} },
  'PUT /api/playbooks/:id/draft': { needs: 'playbooks:write', body: {} },
  'POST /api/playbooks/:id/publish': { needs: 'playbooks:publish', body: {} },
  'POST /api/playbooks/:id/enrollments': { needs: 'runs:enroll', body: {} },
  'POST /api/playbooks/:id/enrollments/bulk': { needs: 'runs:enroll', body: {} },
  'GET /api/runs': { needs: 'runs:read' },
  'GET /api/runs/:id': { needs: 'runs:read' },
  'POST /api/runs/:id/cancel': { needs: 'runs:cancel', body: {} },
  'GET /api/runs/:id/emails': { needs: 'runs:read' },
  'GET /api/approvals': { needs: 'approvals:read' },
  'GET /api/approvals/:id': { needs: 'approvals:read' },
  'POST /api/approvals/:id/decision': { needs: 'approvals:decide', body: {} },
  'POST /api/approvals/:id/reassign': { needs: 'approvals:decide', body: {} },
  'POST /api/approvals/:id/snooze': { needs: 'approvals:decide', body: {} },
  'DELETE /api/approvals/:id/snooze': { needs: 'approvals:decide' },
  'GET /api/approvals/:id/comments': { needs: 'approvals:read' },
  'POST /api/approvals/:id/comments': { needs: 'approvals:decide', body: {} },
  'GET /api/inbox': { needs: 'approvals:read' },
  'GET /api/tasks': { needs: 'tasks:read' },
  'GET /api/tasks/:id': { needs: 'tasks:read' },
  'POST /api/tasks/:id/complete': { needs: 'tasks:complete', body: {} },
  'POST /api/tasks/:id/reassign': { needs: 'tasks:complete', body: {} },
  'POST /api/tasks/:id/snooze': { needs: 'tasks:complete', body: {} },
  'DELETE /api/tasks/:id/snooze': { needs: 'tasks:complete' },
  'GET /api/tasks/:id/comments': { needs: 'tasks:read' },
  'POST /api/tasks/:id/comments': { needs: 'tasks:complete', body: {} },
};

const needsOf = (access: RouteAccess): Needs => (access.kind === 'permission' ? access.permission : access.kind);

/** Who calls: nobody, a person of each role, and API tokens. */
interface Who {
  name: string;
  principal: Principal | null;
  call: Caller;
}

describe('the authorization matrix: every route × every role, API tokens and nobody', () => {
  const database = `cairn_api_matrix_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  let admin: DataSource;
  let app: INestApplication;
  let base: string;
  const callers: Who[] = [];

  /** Every route the Express router holds (what Nest and Swagger mounted), as `METHOD /path`. */
  function mountedRoutes(): string[] {
    const express = app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
    return express.router.stack.flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all' && layer.route?.methods[m]).map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : [],
    );
  }

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    const ds = await createDataSource(url.toString()).initialize();
    await migrate(ds);
    await seedDemoWorkspace(ds);
    await ds.destroy();

    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString() })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;

    // Callers take whole paths: the API lives under /api, its docs at /docs.
    const origin = base.replace(/\/api$/, '');
    callers.push({ name: 'nobody', principal: null, call: callerFor(origin, null) });
    for (const role of userRoleSchema.options) {
      const session = await signIn(base, DEMO_EMAIL[role]);
      callers.push({ name: role, principal: { kind: 'user', id: session.user.id, name: session.user.name, role }, call: callerFor(origin, session.accessToken) });
    }
    const asAdmin = callers.find((c) => c.name === 'admin')?.call;
    if (!asAdmin) throw new Error('no admin caller');
    const token = async (name: string, scopes: readonly TokenScope[]): Promise<Who> => {
      const created = await asAdmin('POST', '/api/tokens', { name, scopes });
      if (created.status !== 201) throw new Error(`creating the ${name} token answered ${created.status}`);
      const { id, token: secret } = created.body as { id: string; token: string };
      return { name: `token(${scopes.join(' ')})`, principal: { kind: 'token', id, name, scopes: [...scopes] }, call: callerFor(origin, secret) };
    };
    callers.push(await token('events only', ['events:write']));
    callers.push(await token('every scope', TOKEN_SCOPES));
    // One token per scope, each alone: a scope grants its own permission and nothing else.
    for (const scope of TOKEN_SCOPES.filter((s) => s !== 'events:write')) callers.push(await token(`only ${scope}`, [scope]));
  });

  afterAll(async () => {
    await app?.close();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  it('has an entry for every mounted route, and none for a route that is gone', () => {
    const mounted = [...new Set(mountedRoutes())].sort();
    expect(mounted.length).toBeGreaterThan(30);
    expect(mounted.filter((r) => !MATRIX[r])).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !mounted.includes(r))).toEqual([]);
  });

  it('finds the same access declared on every Nest route as the matrix says', () => {
    const declared = declaredRoutes(app);
    expect(declared.length).toBe(Object.values(MATRIX).filter((e) => !e.docs).length);
    for (const route of declared) {
      const key = `${route.method} ${route.path}`;
      expect({ key, needs: route.access ? needsOf(route.access) : 'nothing declared' }).toEqual({ key, needs: MATRIX[key]?.needs });
    }
  });

  const cells = Object.entries(MATRIX).flatMap(([route, entry]) =>
    ['nobody', ...userRoleSchema.options, `token(${TOKEN_SCOPES.join(' ')})`, ...TOKEN_SCOPES.map((scope) => `token(${scope})`)].map((who) => [route, who, entry] as const),
  );

  it.each(cells)('%s as %s', async (route, who, entry) => {
    const caller = callers.find((c) => c.name === who);
    if (!caller) throw new Error(`no caller ${who}`);
    const [method, path] = route.split(' ');
    const answer = await caller.call(method, (entry.path ?? path).replace(/:[a-zA-Z]+\b/g, NOT_A_UUID), entry.body);

    const allowed = entry.needs === 'public' || (caller.principal !== null && (entry.needs === 'signed-in' || can(caller.principal, entry.needs)));
    if (allowed) {
      expect({ route, who, refused: answer.status === 401 || answer.status === 403, failed: answer.status >= 500 }).toEqual({ route, who, refused: false, failed: false });
    } else if (!caller.principal) {
      expect({ route, who, status: answer.status }).toEqual({ route, who, status: 401 });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    } else {
      expect({ route, who, status: answer.status, permission: (answer.body as { permission?: string }).permission }).toEqual({ route, who, status: 403, permission: entry.needs });
    }
  });
});

/** Waits for an approval, then a task for the account's CSM; the row pass decides and completes them. */
const approveThenTask = approveThenTaskPlaybook('matrix-approve-then-task', 'Matrix: approve then task', { approval: 'Go ahead with {{account.name}}?', task: 'Call {{account.name}}' });
/** A run that waits three days: what the row pass cancels. */
const longWait = {
  schemaVersion: 2,
  key: 'matrix-long-wait',
  name: 'Matrix: long wait',
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
    { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: '3 days' } },
    { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'done' },
  ],
};

/**
 * THE ROW RULES: the route matrix above stops at the permission (its ids are not uuids, so the row
 * is never read). Here the rows are real: Casey (a CSM) owns Acme, Initech and Stark; Riley (another
 * CSM, not on Morgan's team) owns Globex; Morgan (a CS manager) manages Casey. On each row-scoped
 * route (account writes, the people map, the success plan, deciding an approval, completing a task,
 * cancelling a run) Casey and Morgan succeed (2xx) on Casey's accounts and get 403 naming the
 * permission on Riley's; each API token, one per scope, succeeds on account writes only with
 * `accounts:write` (on any account) and never decides, completes or cancels. Against the built
 * worker, so decisions and completions reach a real run.
 */
describe('the authorization matrix: row rules on real rows (own account, team, someone else’s; one token per scope)', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  let db: SeededDatabase;
  let app: INestApplication;
  let worker: WorkerProcess;
  let admin: Caller;
  let casey: Caller;
  let morgan: Caller;
  let ops: Caller;
  const tokens = new Map<TokenScope, Caller>();
  const accounts = new Map<string, string>();
  let manualSegmentKey: string;
  /** Real rows by account name, made in beforeAll. */
  const approvals = new Map<string, string>();
  const waitingRuns = new Map<string, string>();

  const statusOf = (answer: Answer) => answer.status;
  const refusal = (answer: Answer) => ({ status: answer.status, permission: (answer.body as { permission?: string }).permission });

  beforeAll(async () => {
    db = await seededDatabase('rows');
    const env = { ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: `cairn-api-rows-${stamp}`, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_LOG_LEVEL: 'WARN', CAIRN_SEGMENT_SWEEP_MINUTES: '0' };
    worker = await startWorkerProcess(env);
    app = await createApp(loadConfig(testEnv(env)), { quiet: true });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    [admin, casey, morgan, ops] = await Promise.all([signInAs(base, 'admin'), signInAs(base, 'csm'), signInAs(base, 'cs_manager'), signInAs(base, 'ops')]);
    for (const { id, name } of (await db.ds.query(`SELECT id, name FROM accounts`)) as Array<{ id: string; name: string }>) accounts.set(name, id);
    manualSegmentKey = ((await db.ds.query(`SELECT key FROM segments WHERE rule IS NULL AND archived_at IS NULL ORDER BY key LIMIT 1`)) as Array<{ key: string }>)[0].key;

    // Riley, a CSM outside Morgan's team, owns Globex.
    const riley = await admin('POST', '/users', { email: 'riley.rows@cairn.local', name: 'Riley Rows', role: 'csm' });
    expect(riley.status).toBe(201);
    await db.ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [(riley.body as { id: string }).id, accounts.get('Globex Retail')]);
    for (const scope of TOKEN_SCOPES) {
      const created = await admin('POST', '/tokens', { name: `rows ${scope}`, scopes: [scope] });
      expect(created.status).toBe(201);
      tokens.set(scope, callerFor(base, (created.body as { token: string }).token));
    }

    // A pending approval on Acme, Initech and Globex (each assigned to the account's CSM), and a waiting run on each.
    const publish = async (document: unknown) => {
      const playbook = await ops('POST', '/playbooks', { document });
      const id = (playbook.body as { id: string }).id;
      expect((await ops('POST', `/playbooks/${id}/publish`, {})).status).toBe(201);
      return id;
    };
    const approving = await publish(approveThenTask);
    const waiting = await publish(longWait);
    for (const name of ['Acme Analytics', 'Initech', 'Globex Retail']) {
      const accountId = accounts.get(name);
      const enrolled = await ops('POST', `/playbooks/${approving}/enrollments`, { accountId });
      expect(enrolled.status).toBe(201);
      const runId = (enrolled.body as { id: string }).id;
      const approval = await worker.eventually(`the approval on ${name}`, async () => {
        const rows = (await db.ds.query(`SELECT id FROM approvals WHERE run_id = $1 AND status = 'pending'`, [runId])) as Array<{ id: string }>;
        return rows[0]?.id;
      });
      await worker.eventually(`the run on ${name} to wait on it`, async () => {
        const run = (await ops('GET', `/runs/${runId}`)).body as { live: { active: Array<{ approvalId?: string }> } | null };
        return run.live?.active.some((a) => a.approvalId === approval) ? true : undefined;
      });
      approvals.set(name, approval);
      const long = await ops('POST', `/playbooks/${waiting}/enrollments`, { accountId });
      expect(long.status).toBe(201);
      waitingRuns.set(name, (long.body as { id: string }).id);
    }
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await db?.drop();
  });

  /** Account-scoped writes: each a fresh request that succeeds when the row rule lets it. */
  const accountWrites: Array<[route: string, request: (accountId: string, who: string) => Promise<[string, string, unknown?]>]> = [
    ['PATCH /api/accounts/:id', async (id, who) => ['PATCH', `/accounts/${id}`, { metrics: { row_checks: who.length } }]],
    ['PUT /api/accounts/:id/segment', async (id) => ['PUT', `/accounts/${id}/segment`, { segmentKey: manualSegmentKey }]],
    ['POST /api/accounts/:id/stakeholders', async (id, who) => ['POST', `/accounts/${id}/stakeholders`, { name: `Row ${who}`, email: `row-${who.replace(/\W/g, '-')}-${id.slice(0, 8)}@example.com`, role: 'user' }]],
    ['PATCH /api/accounts/:id/stakeholders/:sid', async (id, who) => ['PATCH', `/accounts/${id}/stakeholders/${await person(id)}`, { title: `Checked by ${who}` }]],
    ['POST /api/accounts/:id/stakeholders/:sid/left', async (id) => ['POST', `/accounts/${id}/stakeholders/${await person(id)}/left`, { reason: 'Moved on' }]],
    ['DELETE /api/accounts/:id/stakeholders/:sid', async (id) => ['DELETE', `/accounts/${id}/stakeholders/${await person(id)}`, { reason: 'Entered by mistake' }]],
    ['PUT /api/accounts/:id/success-plan', async (id, who) => ['PUT', `/accounts/${id}/success-plan`, { strategy: `Set by ${who}` }]],
    ['POST /api/accounts/:id/success-plan/objectives', async (id, who) => ['POST', `/accounts/${id}/success-plan/objectives`, { title: `Objective by ${who}` }]],
    ['PATCH /api/accounts/:id/success-plan/objectives/:objectiveId', async (id, who) => ['PATCH', `/accounts/${id}/success-plan/objectives/${await objective(id)}`, { title: `Renamed by ${who}` }]],
  ];
  /** A fresh stakeholder of the account (role user), made by the admin. */
  async function person(accountId: string): Promise<string> {
    const created = await admin('POST', `/accounts/${accountId}/stakeholders`, { name: 'Row Person', email: `row-person-${randomUUID()}@example.com`, role: 'user' });
    expect(created.status).toBe(201);
    return (created.body as { id: string }).id;
  }
  /** A fresh objective on the account's plan, made by the admin. */
  async function objective(accountId: string): Promise<string> {
    const created = await admin('POST', `/accounts/${accountId}/success-plan/objectives`, { title: `Row objective ${randomUUID()}` });
    expect(created.status).toBe(201);
    const plan = created.body as { objectives: Array<{ id: string; title: string }> };
    return plan.objectives[plan.objectives.length - 1].id;
  }

  const people = (): Array<[string, Caller, string, string]> => [
    // [who, caller, an account theirs (own or team), someone else's]
    ['csm (own account)', casey, 'Acme Analytics', 'Globex Retail'],
    ['cs_manager (team account)', morgan, 'Initech', 'Globex Retail'],
  ];

  it.each(accountWrites)('%s: 2xx on their own or their team’s account, 403 on someone else’s', async (route, request) => {
    for (const [who, call, theirs, others] of people()) {
      const [method, path, body] = await request(accounts.get(theirs) ?? '', who);
      const ok = await call(method, path, body);
      expect({ route, who, on: theirs, status: statusOf(ok) < 300 ? '2xx' : ok.status, body: statusOf(ok) < 300 ? null : ok.body }).toEqual({ route, who, on: theirs, status: '2xx', body: null });
      const [m2, p2, b2] = await request(accounts.get(others) ?? '', who);
      expect({ route, who, on: others, ...refusal(await call(m2, p2, b2)) }).toEqual({ route, who, on: others, status: 403, permission: 'accounts:write' });
    }
  });

  it.each(accountWrites)('%s: one API token per scope, only accounts:write may (on any account)', async (route, request) => {
    for (const [scope, call] of tokens) {
      const [method, path, body] = await request(accounts.get('Globex Retail') ?? '', `token ${scope}`);
      const answer = await call(method, path, body);
      if (scope === 'accounts:write') expect({ route, scope, status: answer.status < 300 ? '2xx' : answer.status }).toEqual({ route, scope, status: '2xx' });
      else expect({ route, scope, ...refusal(answer) }).toEqual({ route, scope, status: 403, permission: 'accounts:write' });
    }
  });

  it('POST /api/approvals/:id/decision and POST /api/tasks/:id/complete: the CSM on their account, the manager on the team’s, 403 on someone else’s and for every token', async () => {
    const decide = (call: Caller, name: string) => call('POST', `/approvals/${approvals.get(name)}/decision`, { decision: 'approved' });
    for (const [scope, call] of tokens) expect({ scope, ...refusal(await decide(call, 'Acme Analytics')) }).toEqual({ scope, status: 403, permission: 'approvals:decide' });
    expect(refusal(await decide(casey, 'Globex Retail'))).toEqual({ status: 403, permission: 'approvals:decide' });
    expect(refusal(await decide(morgan, 'Globex Retail'))).toEqual({ status: 403, permission: 'approvals:decide' });
    expect(statusOf(await decide(casey, 'Acme Analytics'))).toBe(200);
    expect(statusOf(await decide(morgan, 'Initech'))).toBe(200);
    expect(statusOf(await decide(admin, 'Globex Retail'))).toBe(200);

    // Each run goes on to a task for the account's CSM.
    const tasks = new Map<string, string>();
    for (const name of ['Acme Analytics', 'Initech', 'Globex Retail']) {
      tasks.set(
        name,
        await worker.eventually(`the task on ${name}`, async () => {
          const rows = (await db.ds.query(`SELECT t.id FROM tasks t JOIN approvals a ON a.run_id = t.run_id WHERE a.id = $1 AND t.status = 'open'`, [approvals.get(name)])) as Array<{ id: string }>;
          return rows[0]?.id;
        }),
      );
    }
    const complete = async (call: Caller, name: string) => {
      // The run holds the task open once its step records the wait; until then the run may answer 409.
      let answer = await call('POST', `/tasks/${tasks.get(name)}/complete`, {});
      for (let tries = 0; answer.status === 409 && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        answer = await call('POST', `/tasks/${tasks.get(name)}/complete`, {});
      }
      return answer;
    };
    for (const [scope, call] of tokens) expect({ scope, ...refusal(await complete(call, 'Acme Analytics')) }).toEqual({ scope, status: 403, permission: 'tasks:complete' });
    expect(refusal(await complete(casey, 'Globex Retail'))).toEqual({ status: 403, permission: 'tasks:complete' });
    expect(refusal(await complete(morgan, 'Globex Retail'))).toEqual({ status: 403, permission: 'tasks:complete' });
    expect(statusOf(await complete(casey, 'Acme Analytics'))).toBe(200);
    expect(statusOf(await complete(morgan, 'Initech'))).toBe(200);
  });

  it('POST /api/runs/:id/cancel: the CSM on their account, the manager on the team’s, 403 on someone else’s and for every token', async () => {
    const cancel = (call: Caller, name: string) => call('POST', `/runs/${waitingRuns.get(name)}/cancel`, { reason: 'Row rule check' });
    for (const [scope, call] of tokens) expect({ scope, ...refusal(await cancel(call, 'Acme Analytics')) }).toEqual({ scope, status: 403, permission: 'runs:cancel' });
    expect(refusal(await cancel(casey, 'Globex Retail'))).toEqual({ status: 403, permission: 'runs:cancel' });
    expect(refusal(await cancel(morgan, 'Globex Retail'))).toEqual({ status: 403, permission: 'runs:cancel' });
    expect(statusOf(await cancel(casey, 'Acme Analytics'))).toBeLessThan(300);
    expect(statusOf(await cancel(morgan, 'Initech'))).toBeLessThan(300);
  });
});

/** A guard that fails closed: a controller route without an access rule keeps the app from starting. */
describe('a route that declares no access rule', () => {
  it('stops the app from starting, naming the route', async () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      list() {
        return [];
      }
    }
    @Module({ imports: [DiscoveryModule], controllers: [ForgottenController] })
    class ForgottenModule {}

    const forgotten = await NestFactory.create(ForgottenModule, { logger: false });
    forgotten.setGlobalPrefix('api');
    try {
      expect(() => assertEveryRouteDeclaresAccess(forgotten)).toThrow('GET /api/forgotten (ForgottenController.list)');
    } finally {
      await forgotten.close();
    }
  });
});
