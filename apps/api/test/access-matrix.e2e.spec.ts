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
import { type Caller, callerFor, signIn, DEMO_EMAIL, testEnv } from './support/auth';

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
    ['nobody', ...userRoleSchema.options, 'token(events:write)', `token(${TOKEN_SCOPES.join(' ')})`].map((who) => [route, who, entry] as const),
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
