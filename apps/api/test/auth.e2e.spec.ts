import { apiErrorSchema, approvalSchema, auditPageSchema, createdTokenSchema, managedUserSchema, meSchema, playbookSchema, runSchema, sessionSchema, taskSchema, apiTokenSchema, accountSchema, type AuditEntry, pageSchema } from '@cairn/contracts';
import { createDataSource, migrate } from '@cairn/db';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import jwt from 'jsonwebtoken';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { LOGIN_FAILED } from '../src/auth/auth.service';
import { loadConfig } from '../src/config';
import { seedDemoWorkspace } from '../src/seed/seed';
import { type Caller, callerFor, DEMO_EMAIL, signIn, signInAs, testEnv } from './support/auth';
import { receivedQuery } from './support/messages.workflow';

/**
 * Sign-in, sessions, API tokens, users, the row rules of decisions, completions, cancellations and
 * account edits, and the audit log, against real Postgres (a database of its own) and the real
 * Temporal dev server (a stand-in run answers the Updates: support/messages.workflow.ts).
 */
describe('users and access', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const idleQueue = `cairn-auth-idle-${stamp}`;
  const messagesQueue = `cairn-auth-messages-${stamp}`;
  const database = `cairn_api_auth_${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = new URL(process.env.DATABASE_URL ?? '');
  adminUrl.pathname = '/postgres';
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  const password = 'a-good-long-password';

  let admin: DataSource;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let workerDone: Promise<void>;
  let asAdmin: Caller;
  let asOps: Caller;
  let asCasey: Caller;
  let asMorgan: Caller;
  let asViewer: Caller;
  const anonymous = () => callerFor(base, null);
  /** Sam Rivera (a CSM who owns Stark Logistics) and Pat Chen (Sam's manager), made through the API. */
  const people: Record<'sam' | 'pat', { id: string; email: string }> = { sam: { id: '', email: `sam-${stamp}@cairn.test` }, pat: { id: '', email: `pat-${stamp}@cairn.test` } };
  let asSam: Caller;
  let asPat: Caller;
  let stark: { id: string };
  let acme: { id: string };
  let casey: { id: string };

  const issuePaths = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);
  /** Audit entries, newest first, through the API (as the admin). */
  async function audit(query: string): Promise<AuditEntry[]> {
    const answer = await asAdmin('GET', `/audit?${query}`);
    expect(answer.status).toBe(200);
    return auditPageSchema.parse(answer.body).items;
  }
  async function createUser(body: Record<string, unknown>) {
    const answer = await asAdmin('POST', '/users', body);
    expect(answer.status).toBe(201);
    return managedUserSchema.parse(answer.body);
  }

  /** A running run row of a new published playbook for the account, answered by the stand-in run. */
  async function standInRun(accountId: string, input: { assigneeId: string | null; openTaskIds?: string[]; pendingApprovalIds?: string[] }) {
    const key = `auth-${randomUUID()}`;
    const document = {
      schemaVersion: 2,
      key,
      name: `Auth ${key}`,
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    };
    const playbook = playbookSchema.parse((await asOps('POST', '/playbooks', { document })).body);
    const version = (await asOps('POST', `/playbooks/${playbook.id}/publish`, {})).body as { id: string };
    const workflowId = `cairn-test:messages:${randomUUID()}`;
    const [row] = await ds.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by) VALUES ($1, $2, $3, $4, 'running', 'test') RETURNING id`,
      [workflowId, playbook.id, version.id, accountId],
    );
    const handle = await client.workflow.start('messagesRun', {
      taskQueue: messagesQueue,
      workflowId,
      args: [{ assigneeId: input.assigneeId, openTaskIds: input.openTaskIds ?? [], pendingApprovalIds: input.pendingApprovalIds ?? [], state: { status: 'running', currentStepId: 'start', pendingApprovalId: null, path: ['start'] } }],
    });
    return { runId: row.id as string, versionId: version.id, handle };
  }

  async function pendingApproval(runId: string, accountId: string, assigneeId: string, id: string = randomUUID()) {
    await ds.query(
      `INSERT INTO approvals (id, run_id, node_id, account_id, assignee_id, title, status, due_at) VALUES ($1, $2, $3, $4, $5, 'Call the sponsor?', 'pending', now() + interval '2 days')`,
      [id, runId, `approve-${randomUUID()}`, accountId, assigneeId],
    );
    return id;
  }

  async function openTask(runId: string, accountId: string, versionId: string, assigneeId: string, id: string = randomUUID()) {
    await ds.query(
      `INSERT INTO tasks (id, run_id, node_id, account_id, playbook_version_id, title, owner_side, owner_role, assignee_id, completion, status, due_at, reason)
       VALUES ($1, $2, $3, $4, $5, 'Hold the kickoff call', 'ours', 'csm', $6, 'person', 'open', now() + interval '3 days', 'test')`,
      [id, runId, `call-${randomUUID()}`, accountId, versionId, assigneeId],
    );
    return id;
  }

  beforeAll(async () => {
    admin = await new DataSource({ type: 'postgres', url: adminUrl.toString() }).initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    ds = await createDataSource(url.toString()).initialize();
    await migrate(ds);
    await seedDemoWorkspace(ds);

    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    worker = await Worker.create({ connection: nativeConnection, taskQueue: messagesQueue, workflowsPath: require.resolve('./support/messages.workflow'), activities: {} });
    workerDone = worker.run();

    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString(), TEMPORAL_TASK_QUEUE: idleQueue })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    asAdmin = await signInAs(base, 'admin');
    asOps = await signInAs(base, 'ops');
    asCasey = await signInAs(base, 'csm');
    asMorgan = await signInAs(base, 'cs_manager');
    asViewer = await signInAs(base, 'viewer');

    const pat = await createUser({ email: people.pat.email, name: 'Pat Chen', role: 'cs_manager', password });
    const sam = await createUser({ email: people.sam.email, name: 'Sam Rivera', role: 'csm', managerId: pat.id, password });
    people.pat.id = pat.id;
    people.sam.id = sam.id;
    asPat = callerFor(base, (await signIn(base, pat.email, password)).accessToken);
    asSam = callerFor(base, (await signIn(base, sam.email, password)).accessToken);
    // Accounts get their CSM from the CRM today (no endpoint assigns one): Stark Logistics is Sam's.
    const accounts = pageSchema(accountSchema).parse((await asOps('GET', '/accounts?limit=200')).body).items;
    const find = (name: string) => accounts.find((a) => a.name === name) ?? { id: '' };
    stark = find('Stark Logistics');
    acme = find('Acme Analytics');
    await ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [sam.id, stark.id]);
    casey = { id: ((await asCasey('GET', '/auth/me')).body as { user: { id: string } }).user.id };
  });

  afterAll(async () => {
    await app?.close();
    if (worker) {
      worker.shutdown();
      await workerDone;
    }
    await nativeConnection?.close();
    await client?.connection.close();
    await ds?.destroy();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.destroy();
    }
  });

  describe('signing in', () => {
    it('signs in, says who you are, and answers every failure with the same 401', async () => {
      const session = await signIn(base, DEMO_EMAIL.csm);
      expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: 'casey@cairn.local', role: 'csm', name: 'Casey Morgan' } });
      expect(session.permissions).toEqual(expect.arrayContaining(['approvals:decide', 'tasks:complete', 'runs:cancel']));
      expect(session.permissions).not.toContain('playbooks:publish');
      expect(Date.parse(session.refreshExpiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
      const me = meSchema.parse((await callerFor(base, session.accessToken)('GET', '/auth/me')).body);
      expect(me).toMatchObject({ kind: 'user', user: { email: 'casey@cairn.local' } });
      // The email is matched without regard to case or spaces.
      expect((await anonymous()('POST', '/auth/login', { email: '  Casey@Cairn.Local ', password: 'cairn-demo-password' })).status).toBe(200);

      const deactivated = await createUser({ email: `gone-${stamp}@cairn.test`, name: 'Gone Person', role: 'csm', password });
      expect((await asAdmin('PATCH', `/users/${deactivated.id}`, { active: false })).status).toBe(200);
      const noPassword = await createUser({ email: `nopass-${stamp}@cairn.test`, name: 'No Password', role: 'viewer' });
      expect(noPassword.canSignIn).toBe(false);

      const failures = [
        { email: 'casey@cairn.local', password: 'not-the-password' },
        { email: `nobody-${stamp}@cairn.test`, password },
        { email: deactivated.email, password },
        { email: noPassword.email, password: 'anything-at-all' },
      ];
      for (const attempt of failures) {
        const answer = await anonymous()('POST', '/auth/login', attempt);
        expect({ attempt, status: answer.status, body: answer.body }).toEqual({ attempt, status: 401, body: { statusCode: 401, error: 'unauthorized', message: LOGIN_FAILED, issues: [] } });
      }
      const failed = await audit('action=auth.login_failed&limit=10');
      expect(failed.map((e) => e.actor.name)).toEqual(expect.arrayContaining([`nobody-${stamp}@cairn.test`, 'Casey Morgan', 'Gone Person']));
      expect(failed.find((e) => e.actor.name === `nobody-${stamp}@cairn.test`)).toMatchObject({ actor: { type: 'user', id: null }, summary: expect.stringContaining('no user has this email') });
      expect((await audit(`action=auth.login&actorId=${session.user.id}`)).length).toBeGreaterThan(0);
    });

    it('refuses requests without valid credentials with 401 and WWW-Authenticate', async () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['no header', {}],
        ['not a bearer', { authorization: 'Basic Y2FzZXk6cGFzcw==' }],
        ['garbage', { authorization: 'Bearer not.a.token' }],
        ['another secret', { authorization: `Bearer ${jwt.sign({ sid: randomUUID() }, 'some-other-secret-some-other-secret', { subject: casey.id, issuer: 'cairn', audience: 'cairn-api' })}` }],
        ['a session that never was', { authorization: `Bearer ${jwt.sign({ sid: randomUUID() }, 'cairn-test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz', { subject: casey.id, issuer: 'cairn', audience: 'cairn-api', expiresIn: 60 })}` }],
        ['an unknown API token', { authorization: 'Bearer cairn_pat_doesnotexist' }],
      ];
      for (const [name, headers] of cases) {
        const response = await fetch(`${base}/approvals`, { headers });
        expect({ name, status: response.status }).toEqual({ name, status: 401 });
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="cairn"');
        expect(apiErrorSchema.parse(await response.json()).error).toBe('unauthorized');
      }
    });

    it('throttles failed sign-ins per email and address: the sixth try waits, even with the right password', async () => {
      const user = await createUser({ email: `throttle-${stamp}@cairn.test`, name: 'Throttled', role: 'viewer', password });
      for (let i = 0; i < 5; i++) expect((await anonymous()('POST', '/auth/login', { email: user.email, password: `wrong-${i}` })).status).toBe(401);
      const blocked = await anonymous()('POST', '/auth/login', { email: user.email, password });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(apiErrorSchema.parse(blocked.body).error).toBe('too_many_requests');
      // Another email from the same address is not held up.
      expect((await anonymous()('POST', '/auth/login', { email: DEMO_EMAIL.viewer, password: 'cairn-demo-password' })).status).toBe(200);
    });

    it('refreshes with rotation; signing out ends the refresh token and the access tokens of that sign-in', async () => {
      const first = await signIn(base, DEMO_EMAIL.cs_manager);
      const refreshed = await anonymous()('POST', '/auth/refresh', { refreshToken: first.refreshToken });
      expect(refreshed.status).toBe(200);
      const second = sessionSchema.parse(refreshed.body);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.refreshExpiresAt).toBe(first.refreshExpiresAt);
      expect((await callerFor(base, second.accessToken)('GET', '/approvals')).status).toBe(200);
      // The old refresh token was used up.
      expect((await anonymous()('POST', '/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);

      expect((await anonymous()('POST', '/auth/logout', { refreshToken: second.refreshToken })).status).toBe(204);
      expect((await anonymous()('POST', '/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
      // Both access tokens of that sign-in stop at once, not when they expire.
      expect((await callerFor(base, second.accessToken)('GET', '/approvals')).status).toBe(401);
      expect((await callerFor(base, first.accessToken)('GET', '/approvals')).status).toBe(401);
      // Signing out again is quiet; other sign-ins of the same person carry on.
      expect((await anonymous()('POST', '/auth/logout', { refreshToken: second.refreshToken })).status).toBe(204);
      expect((await asMorgan('GET', '/approvals')).status).toBe(200);
      expect((await audit(`action=auth.logout&actorId=${first.user.id}`)).length).toBe(1);
    });

    it('expires access tokens after CAIRN_SESSION_TTL and the sign-in after CAIRN_REFRESH_TTL', async () => {
      const short = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: url.toString(), CAIRN_SESSION_TTL: '1', CAIRN_REFRESH_TTL: '4s' })), { quiet: true });
      await short.listen(0, '127.0.0.1');
      try {
        const shortBase = `http://127.0.0.1:${(short.getHttpServer().address() as AddressInfo).port}/api`;
        const session = await signIn(shortBase, DEMO_EMAIL.viewer);
        expect(session.expiresIn).toBe(1);
        expect((await callerFor(shortBase, session.accessToken)('GET', '/runs')).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        const expired = await callerFor(shortBase, session.accessToken)('GET', '/runs');
        expect(expired).toMatchObject({ status: 401, body: { message: 'The session has expired: refresh it or sign in again' } });
        const refreshed = sessionSchema.parse((await callerFor(shortBase, null)('POST', '/auth/refresh', { refreshToken: session.refreshToken })).body);
        expect((await callerFor(shortBase, refreshed.accessToken)('GET', '/runs')).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        // Four seconds after the password was given, the sign-in is over however often it was refreshed.
        expect((await callerFor(shortBase, null)('POST', '/auth/refresh', { refreshToken: refreshed.refreshToken })).status).toBe(401);
      } finally {
        await short.close();
      }
    });

    it('changes your own password: the current one is checked, your other sign-ins end, this one carries on', async () => {
      const user = await createUser({ email: `changer-${stamp}@cairn.test`, name: 'Changer', role: 'viewer', password });
      const here = await signIn(base, user.email, password);
      const elsewhere = await signIn(base, user.email, password);
      const asHere = callerFor(base, here.accessToken);
      const wrong = await asHere('PUT', '/auth/password', { currentPassword: 'not-it-at-all', newPassword: 'a-brand-new-password' });
      expect(wrong.status).toBe(400);
      expect(issuePaths(wrong.body)).toEqual(['body.currentPassword']);
      expect(issuePaths((await asHere('PUT', '/auth/password', { currentPassword: password, newPassword: 'short' })).body)).toEqual(['body.newPassword']);
      expect((await asHere('PUT', '/auth/password', { currentPassword: password, newPassword: 'a-brand-new-password' })).status).toBe(204);
      expect((await asHere('GET', '/runs')).status).toBe(200);
      expect((await callerFor(base, elsewhere.accessToken)('GET', '/runs')).status).toBe(401);
      expect((await anonymous()('POST', '/auth/login', { email: user.email, password })).status).toBe(401);
      expect((await anonymous()('POST', '/auth/login', { email: user.email, password: 'a-brand-new-password' })).status).toBe(200);
    });
  });

  describe('users (admin)', () => {
    it('adds, changes and deactivates people; a role change or deactivation applies to their next request', async () => {
      expect((await asCasey('GET', '/users')).body).toMatchObject({ statusCode: 403, permission: 'users:manage' });
      const listed = pageSchema(managedUserSchema).parse((await asAdmin('GET', '/users')).body).items;
      expect(listed.find((u) => u.email === DEMO_EMAIL.csm)).toMatchObject({ role: 'csm', active: true, canSignIn: true, lastLoginAt: expect.any(String) });
      expect(JSON.stringify(listed)).not.toMatch(/argon2/);

      const riley = await createUser({ email: `Riley-${stamp}@Cairn.Test`, name: 'Riley Ng', role: 'csm' });
      expect(riley).toMatchObject({ email: `riley-${stamp}@cairn.test`, canSignIn: false, managerId: null, active: true });
      expect((await asAdmin('POST', '/users', { email: riley.email, name: 'Again', role: 'csm' })).status).toBe(409);
      expect(issuePaths((await asAdmin('POST', '/users', { email: 'x@example.com', name: 'X', role: 'owner', isAdmin: true })).body).sort()).toEqual(['body.isAdmin', 'body.role']);
      expect(issuePaths((await asAdmin('POST', '/users', { email: `w-${stamp}@example.com`, name: 'W', role: 'csm', managerId: randomUUID() })).body)).toEqual(['body.managerId']);

      const withPassword = managedUserSchema.parse((await asAdmin('PATCH', `/users/${riley.id}`, { password, managerId: people.pat.id })).body);
      expect(withPassword).toMatchObject({ canSignIn: true, managerId: people.pat.id });
      const asRiley = callerFor(base, (await signIn(base, riley.email, password)).accessToken);
      expect((await asRiley('POST', `/approvals/${randomUUID()}/decision`, { decision: 'approved' })).status).toBe(404);

      // A role change applies to the next request: as a viewer, Riley may no longer decide.
      expect((await asAdmin('PATCH', `/users/${riley.id}`, { role: 'viewer' })).status).toBe(200);
      expect((await asRiley('POST', `/approvals/${randomUUID()}/decision`, { decision: 'approved' })).body).toMatchObject({ statusCode: 403, permission: 'approvals:decide', message: 'Your role (viewer) does not include the permission "approvals:decide"' });
      // Deactivated: the sign-in ends at once.
      expect(managedUserSchema.parse((await asAdmin('PATCH', `/users/${riley.id}`, { active: false })).body).active).toBe(false);
      expect((await asRiley('GET', '/runs')).status).toBe(401);

      // Pat manages Sam: Pat cannot report to Sam.
      expect(issuePaths((await asAdmin('PATCH', `/users/${people.pat.id}`, { managerId: people.sam.id })).body)).toEqual(['body.managerId']);
      // The last active admin stays one.
      const ada = listed.find((u) => u.role === 'admin');
      expect((await asAdmin('PATCH', `/users/${ada?.id}`, { role: 'ops' })).status).toBe(409);
      expect((await asAdmin('PATCH', `/users/${ada?.id}`, { active: false })).status).toBe(409);
      expect((await asAdmin('PATCH', `/users/${randomUUID()}`, { name: 'X' })).status).toBe(404);

      const entries = await audit(`entityType=user&entityId=${riley.id}&action=user.*`);
      expect(entries.map((e) => e.action)).toEqual(['user.deactivated', 'user.updated', 'user.updated', 'user.created']);
      expect(entries[1].changes).toEqual({ before: expect.objectContaining({ role: 'csm' }), after: expect.objectContaining({ role: 'viewer' }) });
      expect(JSON.stringify(entries)).not.toMatch(/argon2|a-good-long-password/);
    });
  });

  describe('create-user on the command line (production bootstrap)', () => {
    const cli = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(__dirname, '../dist/cli.js'), 'create-user', ...args], { env: { ...process.env, DATABASE_URL: url.toString(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (out += c));
        child.on('exit', (code) => resolve({ code, out }));
      });

    it('adds a user who can sign in at once, audited as the system; refuses a second one with the email, a short password and an unknown role', async () => {
      const email = `root-${stamp}@example.com`;
      const made = await cli(['--email', email, '--name', 'Root Admin', '--role', 'admin'], { CAIRN_NEW_USER_PASSWORD: password, NODE_ENV: 'production' });
      expect(made).toMatchObject({ code: 0, out: expect.stringContaining(`created admin Root Admin <${email}>`) });
      const session = await signIn(base, email, password);
      expect(session.user).toMatchObject({ role: 'admin', name: 'Root Admin' });
      expect(session.permissions).toContain('users:manage');
      expect(await audit(`entityType=user&entityId=${session.user.id}&action=user.created`)).toEqual([expect.objectContaining({ actor: { type: 'system', id: null, name: 'cli create-user' } })]);

      expect(await cli(['--email', email, '--name', 'Again', '--role', 'admin'], { CAIRN_NEW_USER_PASSWORD: password })).toMatchObject({ code: 1, out: expect.stringContaining('exists') });
      expect(await cli(['--email', `short-${stamp}@example.com`, '--name', 'Short', '--role', 'viewer'], { CAIRN_NEW_USER_PASSWORD: 'short' })).toMatchObject({ code: 1, out: expect.stringContaining('at least 10 characters') });
      expect(await cli(['--email', `owner-${stamp}@example.com`, '--name', 'Owner', '--role', 'owner'], { CAIRN_NEW_USER_PASSWORD: password })).toMatchObject({ code: 1, out: expect.stringContaining('unknown role "owner"') });
      // No terminal and no CAIRN_NEW_USER_PASSWORD: it says what to do rather than hang.
      expect(await cli(['--email', `nopass-cli-${stamp}@example.com`, '--name', 'No Pass', '--role', 'viewer'], { CAIRN_NEW_USER_PASSWORD: undefined })).toMatchObject({ code: 1, out: expect.stringContaining('set CAIRN_NEW_USER_PASSWORD') });
    });
  });

  describe('API tokens', () => {
    it('an events:write token sends events and nothing else; revoked, it is refused', async () => {
      const refused = await asAdmin('POST', '/tokens', { name: 'Decider', scopes: ['events:write', 'approvals:decide'] });
      expect(issuePaths(refused.body)).toEqual(['body.scopes[1]']);
      expect((await asOps('POST', '/tokens', { name: 'Nope', scopes: ['events:write'] })).status).toBe(403);

      const created = await asAdmin('POST', '/tokens', { name: 'Product analytics', scopes: ['events:write'] });
      expect(created.status).toBe(201);
      const token = createdTokenSchema.parse(created.body);
      expect(token.token).toMatch(/^cairn_pat_[A-Za-z0-9_-]{43}$/);
      expect(token.token.startsWith(token.prefix)).toBe(true);
      expect(token).toMatchObject({ scopes: ['events:write'], revokedAt: null, createdBy: { name: 'Ada Quinn' } });
      const asToken = callerFor(base, token.token);

      const sent = await asToken('POST', '/events', { accountId: acme.id, type: 'product.report_exported', idempotencyKey: `auth-${stamp}` });
      expect(sent.status).toBe(202);
      expect((await asToken('GET', '/accounts')).body).toMatchObject({ statusCode: 403, permission: 'accounts:read', message: 'This API token\'s scopes do not include the permission "accounts:read"' });
      expect((await asToken('POST', `/playbooks/${randomUUID()}/publish`, {})).status).toBe(403);
      expect(meSchema.parse((await asToken('GET', '/auth/me')).body)).toEqual({ kind: 'token', token: { id: token.id, name: 'Product analytics', prefix: token.prefix }, permissions: ['events:write'] });
      expect((await asToken('PUT', '/auth/password', { currentPassword: 'x', newPassword: 'long-enough-password' })).status).toBe(403);

      const listed = pageSchema(apiTokenSchema).parse((await asAdmin('GET', '/tokens')).body).items;
      const stored = listed.find((t) => t.id === token.id);
      expect(stored).toMatchObject({ prefix: token.prefix, lastUsedAt: expect.any(String) });
      expect(JSON.stringify(listed)).not.toContain(token.token);
      const [row] = await ds.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [token.id]);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

      const ingested = await audit(`action=events.ingested&actorId=${token.id}`);
      expect(ingested).toEqual([expect.objectContaining({ actor: { type: 'token', id: token.id, name: 'Product analytics' }, entity: { type: 'account', id: acme.id } })]);

      expect(apiTokenSchema.parse((await asAdmin('DELETE', `/tokens/${token.id}`)).body).revokedAt).not.toBeNull();
      expect((await asToken('POST', '/events', { accountId: acme.id, type: 'product.report_exported' })).status).toBe(401);
      expect((await asAdmin('DELETE', `/tokens/${randomUUID()}`)).status).toBe(404);

      // A token past its expiry is refused like a revoked one.
      const expiring = createdTokenSchema.parse((await asAdmin('POST', '/tokens', { name: 'Short-lived', scopes: ['accounts:read'], expiresAt: new Date(Date.now() + 3600_000).toISOString() })).body);
      expect((await callerFor(base, expiring.token)('GET', '/accounts')).status).toBe(200);
      await ds.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.id]);
      expect((await callerFor(base, expiring.token)('GET', '/accounts')).status).toBe(401);
    });
  });

  describe('row rules', () => {
    it('decisions: a CSM only on accounts they own or are assigned; a manager for their team; ops only if assigned', async () => {
      const approvalId = randomUUID();
      const { runId, handle } = await standInRun(stark.id, { assigneeId: people.sam.id, pendingApprovalIds: [approvalId] });
      await pendingApproval(runId, stark.id, people.sam.id, approvalId);

      for (const [who, caller] of [['Casey (another CSM)', asCasey], ['Morgan (another team)', asMorgan], ['Olivia (ops, not assigned)', asOps]] as const) {
        const answer = await caller('POST', `/approvals/${approvalId}/decision`, { decision: 'approved' });
        expect({ who, status: answer.status, permission: (answer.body as { permission?: string }).permission }).toEqual({ who, status: 403, permission: 'approvals:decide' });
      }
      expect((await asViewer('POST', `/approvals/${approvalId}/decision`, { decision: 'approved' })).status).toBe(403);
      expect(approvalSchema.parse((await asViewer('GET', `/approvals/${approvalId}`)).body).status).toBe('pending');
      expect(await audit(`entityType=approval&entityId=${approvalId}`)).toEqual([]);
      expect(await handle.query(receivedQuery)).toEqual([]);

      // Pat manages Sam, the account's CSM and the assignee.
      const decided = await asPat('POST', `/approvals/${approvalId}/decision`, { decision: 'rejected', note: 'Not this quarter' });
      expect(decided.status).toBe(200);
      expect(approvalSchema.parse(decided.body)).toMatchObject({ status: 'rejected', decidedById: people.pat.id, decidedByName: 'Pat Chen' });
      expect((await handle.query(receivedQuery))[0].message).toMatchObject({ decidedById: people.pat.id, decidedByRole: 'cs_manager' });
      const entries = await audit(`entityType=approval&entityId=${approvalId}`);
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'approval.decided',
          actor: { type: 'user', id: people.pat.id, name: 'Pat Chen' },
          changes: { before: { status: 'pending' }, after: { status: 'rejected', note: 'Not this quarter' } },
          requestId: decided.headers.get('x-request-id'),
        }),
      ]);
    });

    it('a CSM decides where assigned even on an account they do not own; an admin decides anywhere', async () => {
      const assignedToCasey = randomUUID();
      const unassignedToAnyone = randomUUID();
      const { runId, handle } = await standInRun(stark.id, { assigneeId: casey.id, pendingApprovalIds: [assignedToCasey, unassignedToAnyone] });
      await pendingApproval(runId, stark.id, casey.id, assignedToCasey);
      await pendingApproval(runId, stark.id, people.sam.id, unassignedToAnyone);
      expect((await asCasey('POST', `/approvals/${assignedToCasey}/decision`, { decision: 'approved' })).status).toBe(200);
      expect((await asAdmin('POST', `/approvals/${unassignedToAnyone}/decision`, { decision: 'approved' })).status).toBe(200);
      expect((await handle.query(receivedQuery)).map((r) => r.message)).toEqual([
        expect.objectContaining({ decidedByName: 'Casey Morgan', decidedByRole: 'csm' }),
        expect.objectContaining({ decidedByName: 'Ada Quinn', decidedByRole: 'admin' }),
      ]);
    });

    it('tasks, cancellations and account edits follow the same rules', async () => {
      const taskId = randomUUID();
      const { runId, versionId } = await standInRun(stark.id, { assigneeId: people.sam.id, openTaskIds: [taskId] });
      await openTask(runId, stark.id, versionId, people.sam.id, taskId);
      expect((await asCasey('POST', `/tasks/${taskId}/complete`, {})).body).toMatchObject({ statusCode: 403, permission: 'tasks:complete', message: 'You may complete tasks only on accounts you own or where you are the assignee' });
      expect((await asMorgan('POST', `/tasks/${taskId}/complete`, {})).status).toBe(403);
      expect(taskSchema.parse((await asSam('POST', `/tasks/${taskId}/complete`, { note: 'Done' })).body)).toMatchObject({ status: 'done', completedByName: 'Sam Rivera' });

      expect((await asCasey('POST', `/runs/${runId}/cancel`, { reason: 'Not mine' })).body).toMatchObject({ statusCode: 403, permission: 'runs:cancel' });
      expect(await audit(`entityType=run&entityId=${runId}`)).toEqual([]);
      expect((await asPat('POST', `/runs/${runId}/cancel`, { reason: 'Customer paused the project' })).status).toBe(202);
      expect(await audit(`entityType=run&entityId=${runId}`)).toEqual([expect.objectContaining({ action: 'run.cancel_requested', actor: expect.objectContaining({ name: 'Pat Chen' }) })]);

      const before = accountSchema.parse((await asCasey('GET', `/accounts/${stark.id}`)).body);
      expect((await asCasey('PATCH', `/accounts/${stark.id}`, { metrics: { nps: 99 } })).body).toMatchObject({ statusCode: 403, permission: 'accounts:write' });
      expect(accountSchema.parse((await asCasey('GET', `/accounts/${stark.id}`)).body)).toEqual(before);
      expect(await audit(`entityType=account&entityId=${stark.id}&action=account.updated`)).toEqual([]);
      const changed = await asSam('PATCH', `/accounts/${stark.id}`, { metrics: { nps: 12 }, attributes: { region: 'apac-sea' } });
      expect(changed.status).toBe(200);
      expect(await audit(`entityType=account&entityId=${stark.id}&action=account.updated`)).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ name: 'Sam Rivera' }),
          changes: { before: { region: before.attributes.region ?? null, 'metric.nps': before.metrics.nps ?? null }, after: { region: 'apac-sea', 'metric.nps': 12 } },
        }),
      ]);
    });
  });

  describe('the audit log', () => {
    it('writes no entry for a change the run refuses, and one per change that happens', async () => {
      const notWaiting = randomUUID();
      const { runId } = await standInRun(acme.id, { assigneeId: casey.id, pendingApprovalIds: [] });
      await pendingApproval(runId, acme.id, casey.id, notWaiting);
      expect((await asCasey('POST', `/approvals/${notWaiting}/decision`, { decision: 'approved' })).status).toBe(409);
      expect(approvalSchema.parse((await asCasey('GET', `/approvals/${notWaiting}`)).body).status).toBe('pending');
      expect(await audit(`entityType=approval&entityId=${notWaiting}`)).toEqual([]);

      // Design, publish, enroll: each one entry, naming the person.
      const document = {
        schemaVersion: 2,
        key: `audit-${stamp}`,
        name: 'Audited',
        nodes: [
          { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
          { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: {} },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'done' }],
      };
      const playbook = playbookSchema.parse((await asOps('POST', '/playbooks', { document })).body);
      expect((await asOps('PUT', `/playbooks/${playbook.id}/draft`, { document: { ...document, name: 'Audited (renamed)' } })).status).toBe(200);
      expect((await asOps('POST', `/playbooks/${playbook.id}/publish`, {})).status).toBe(201);
      const enrolled = await asOps('POST', `/playbooks/${playbook.id}/enrollments`, { accountId: acme.id, reason: 'Audit test' });
      expect(enrolled.status).toBe(201);
      const run = runSchema.parse(enrolled.body);
      expect(run.enrolledBy).toBe('Olivia Park');
      expect((await audit(`entityType=playbook&entityId=${playbook.id}`)).map((e) => e.action)).toEqual(['playbook.published', 'playbook.draft_saved', 'playbook.created']);
      expect(await audit(`entityType=run&entityId=${run.id}`)).toEqual([expect.objectContaining({ action: 'run.enrolled', summary: expect.stringContaining('Olivia Park enrolled Acme Analytics in Audited (renamed) v1') })]);
    });

    it('filters by actor, entity, action and time, pages newest first, and is for admins and ops only', async () => {
      expect((await asViewer('GET', '/audit')).body).toMatchObject({ statusCode: 403, permission: 'audit:read' });
      expect((await asCasey('GET', '/audit')).status).toBe(403);
      expect((await asOps('GET', '/audit?limit=1')).status).toBe(200);

      const all = await audit('limit=200');
      expect(all.length).toBeGreaterThan(10);
      const times = all.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const pages: AuditEntry[] = [];
      let cursor: string | null = null;
      do {
        const page = auditPageSchema.parse((await asAdmin('GET', `/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).body);
        pages.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.map((e) => e.id)).toEqual(all.map((e) => e.id));

      expect((await audit('action=playbook.*')).every((e) => e.action.startsWith('playbook.'))).toBe(true);
      expect((await audit('actorType=token')).every((e) => e.actor.type === 'token')).toBe(true);
      const middle = all[Math.floor(all.length / 2)];
      expect((await audit(`to=${encodeURIComponent(middle.at)}&limit=200`)).every((e) => Date.parse(e.at) < Date.parse(middle.at))).toBe(true);
      expect((await audit(`from=${encodeURIComponent(middle.at)}&limit=200`)).every((e) => Date.parse(e.at) >= Date.parse(middle.at))).toBe(true);
      expect(issuePaths((await asAdmin('GET', '/audit?cursor=made-up&action=Nope&who=me')).body).sort()).toEqual(['query.action', 'query.who']);
      expect(issuePaths((await asAdmin('GET', '/audit?cursor=made-up')).body)).toEqual(['query.cursor']);

      // Append-only: not even a direct UPDATE or DELETE changes it.
      await expect(ds.query(`UPDATE audit_log SET summary = 'nothing happened'`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    });
  });
});
