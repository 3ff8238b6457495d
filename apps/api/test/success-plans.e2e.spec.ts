import { accountSchema, apiErrorSchema, successPlanSchema, pageSchema } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { callerFor, DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

/** Success plans against real Postgres: strategy, objectives measured on the account, agreement, accountabilities. */
describe('success plans API', () => {

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let acme: z.infer<typeof accountSchema>;

  /** Signed in as Casey Morgan, the CSM of every demo account: the plan's changes are hers. */
  let token: string;
  async function call(method: string, path: string, body?: unknown) {
    const headers = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  const plan = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, `/accounts/${acme.id}/success-plan${path}`, body);
    expect(answer.status).toBeLessThan(300);
    return successPlanSchema.parse(answer.body);
  };
  const issues = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => i.path);

  beforeAll(async () => {
    db = await seededDatabase('plans');
    ds = db.ds;
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    token = (await signIn(base, DEMO_EMAIL.csm)).accessToken;
    acme = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items.find((a) => a.name === 'Acme Analytics') as z.infer<typeof accountSchema>;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('starts empty, keeps a one-line strategy and who set it', async () => {
    expect(await plan('GET', '')).toMatchObject({ accountId: acme.id, strategy: '', objectives: [], summary: { green: 0, red: 0, agreed: 0 } });
    expect((await call('PUT', `/accounts/${acme.id}/success-plan`, { strategy: 'x', updatedBy: 'Someone Else' })).status).toBe(400);
    const updated = await plan('PUT', '', { strategy: 'Make Acme’s analysts self-serve before the March renewal' });
    expect(updated).toMatchObject({ strategy: 'Make Acme’s analysts self-serve before the March renewal', updatedBy: 'Casey Morgan' });
    const twoLines = await call('PUT', `/accounts/${acme.id}/success-plan`, { strategy: 'One\nTwo' });
    expect(twoLines.status).toBe(400);
    expect(issues(twoLines.body)).toEqual(['body.strategy']);
  });

  it('measures objectives on the account’s data: green when met, red with what is missing and by when', async () => {
    const withAdoption = await plan('POST', '/objectives', {
      title: '200 weekly active analysts',
      measure: { field: 'metric.weekly_active_users', op: 'gte', value: 200 },
      targetDate: '2027-01-31',
    });
    expect(withAdoption.objectives[0]).toMatchObject({ status: 'green', statusReason: `Met: metric.weekly_active_users ${acme.metrics.weekly_active_users} ≥ 200` });
    const withSso = await plan('POST', '/objectives', { title: 'SSO rolled out', measure: { field: 'account.sso_enabled', op: 'eq', value: true }, targetDate: '2099-01-01' });
    expect(withSso.objectives[1]).toMatchObject({ status: 'red', statusReason: expect.stringMatching(/^Not met yet: account.sso_enabled \(not set\) = true; \d+ days to the target date 2099-01-01$/) });
    expect(withSso.summary).toEqual({ green: 1, red: 1, agreed: 0 });

    // The account changes: the objective turns green on the next read.
    // Attributes are checked against the field schema: `sso_enabled` is a field of the workspace's own.
    // Defining a field is ops' work (accounts:manage).
    const asOps = callerFor(base, (await signIn(base, DEMO_EMAIL.ops)).accessToken);
    expect((await asOps('POST', '/account-fields', { key: 'sso_enabled', label: 'SSO enabled', type: 'boolean' })).status).toBe(201);
    expect((await call('PATCH', `/accounts/${acme.id}`, { attributes: { sso_enabled: true } })).status).toBe(200);
    expect((await plan('GET', '')).summary).toEqual({ green: 2, red: 0, agreed: 0 });
  });

  it('takes a person’s call over the measure, and hands it back', async () => {
    const { objectives } = await plan('GET', '');
    const sso = objectives[1];
    const marked = await plan('PATCH', `/objectives/${sso.id}`, { override: { status: 'red', note: 'Only half the teams are on SSO' } });
    expect(marked.objectives[1]).toMatchObject({ status: 'red', statusReason: 'Marked red by Casey Morgan: Only half the teams are on SSO' });
    const back = await plan('PATCH', `/objectives/${sso.id}`, { override: null });
    expect(back.objectives[1].status).toBe('green');
  });

  it('records the customer’s agreement by one of the account’s stakeholders, and no one else’s', async () => {
    const { objectives } = await plan('GET', '');
    const champion = acme.stakeholders.find((s) => s.role === 'champion');
    const agreed = await plan('POST', `/objectives/${objectives[0].id}/agreement`, { stakeholderId: champion?.id, agreedAt: '2026-11-20T15:00:00.000Z' });
    expect(agreed.objectives[0].agreement).toEqual({ agreedAt: '2026-11-20T15:00:00.000Z', stakeholderId: champion?.id, name: champion?.name });
    expect(agreed.summary.agreed).toBe(1);

    const others = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items.find((a) => a.id !== acme.id);
    const stranger = await call('POST', `/accounts/${acme.id}/success-plan/objectives/${objectives[0].id}/agreement`, { stakeholderId: others?.stakeholders[0].id });
    expect(stranger.status).toBe(400);
    expect(issues(stranger.body)).toEqual(['body.stakeholderId']);
  });

  it('lists the joint accountabilities runs opened, on both sides', async () => {
    const [run] = await ds.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, enrolled_by)
       SELECT 'plan-test', p.id, v.id, $1, 'running', 'test' FROM playbooks p JOIN playbook_versions v ON v.playbook_id = p.id LIMIT 1 RETURNING id, playbook_version_id`,
      [acme.id],
    );
    for (const [node, side, role, due] of [['sso', 'customer', 'admin', "now() - interval '1 day'"], ['kickoff', 'ours', 'csm', "now() + interval '3 days'"]]) {
      await ds.query(
        `INSERT INTO tasks (run_id, node_id, account_id, playbook_version_id, title, owner_side, owner_role, completion, status, due_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'person', 'open', ${due}, 'test')`,
        [run.id, node, acme.id, run.playbook_version_id, `Task ${node}`, side, role],
      );
    }
    const { accountabilities } = await plan('GET', '');
    expect(accountabilities.customer).toEqual([expect.objectContaining({ title: 'Task sso', ownerRole: 'admin', overdue: true })]);
    expect(accountabilities.ours).toEqual([expect.objectContaining({ title: 'Task kickoff', ownerRole: 'csm', overdue: false })]);
  });

  it.each<[string, string, string, unknown, string[]]>([
    ['an objective without a title', 'POST', '/objectives', { measure: null }, ['body.title']],
    ['a measure reading a run', 'POST', '/objectives', { title: 'x', measure: { field: 'step.kickoff.outcome', op: 'eq', value: 'done' } }, ['body.measure.field']],
    ['a date that is not one', 'POST', '/objectives', { title: 'x', targetDate: '31/01/2027' }, ['body.targetDate']],
    ['an unknown field (mass assignment)', 'POST', '/objectives', { title: 'x', status: 'green' }, ['body.status']],
    ['an empty change', 'PATCH', '/objectives/00000000-0000-4000-8000-000000000000', {}, ['body']],
  ])('refuses %s with the field path', async (_, method, path, body, paths) => {
    const answer = await call(method, `/accounts/${acme.id}/success-plan${path}`, body);
    expect(answer.status).toBe(400);
    expect(issues(answer.body)).toEqual(paths);
  });

  it('refuses a CSM (403) every change to the plan of an account they do not own, and lets its owner make them', async () => {
    const admin = callerFor(base, (await signIn(base, DEMO_EMAIL.admin)).accessToken);
    const created = await admin('POST', '/users', { email: 'riley.owner@cairn.local', name: 'Riley Owner', role: 'csm', password: 'riley-password-123' });
    expect(created.status).toBe(201);
    const rileyId = (created.body as { id: string }).id;
    const riley = callerFor(base, (await signIn(base, 'riley.owner@cairn.local', 'riley-password-123')).accessToken);
    const [globex] = (await ds.query(`SELECT id FROM accounts WHERE name = 'Globex Retail'`)) as Array<{ id: string }>;
    await ds.query(`UPDATE accounts SET csm_id = $1 WHERE id = $2`, [rileyId, globex.id]);
    const path = `/accounts/${globex.id}/success-plan`;

    // Riley owns Globex now: her changes go through.
    expect((await riley('PUT', path, { strategy: 'Globex self-serves by Q3' })).status).toBe(200);
    const withObjective = await riley('POST', `${path}/objectives`, { title: 'Weekly reports in use' });
    expect(withObjective.status).toBe(201);
    const objectiveId = successPlanSchema.parse(withObjective.body).objectives[0].id;
    const stakeholderId = ((await ds.query(`SELECT id FROM stakeholders WHERE account_id = $1 LIMIT 1`, [globex.id])) as Array<{ id: string }>)[0].id;

    // Casey (a CSM who does not own Globex) may read the plan, and change nothing in it.
    expect((await call('GET', path)).status).toBe(200);
    const refused: Array<[string, string, unknown]> = [
      ['PUT', path, { strategy: 'Not mine to set' }],
      ['POST', `${path}/objectives`, { title: 'Not mine to add' }],
      ['PATCH', `${path}/objectives/${objectiveId}`, { title: 'Not mine to rename' }],
      ['PATCH', `${path}/objectives/${objectiveId}`, { override: { status: 'green', note: 'Looks fine to me' } }],
      ['POST', `${path}/objectives/${objectiveId}/agreement`, { stakeholderId }],
      ['DELETE', `${path}/objectives/${objectiveId}`, undefined],
    ];
    for (const [method, url, body] of refused) {
      const answer = await call(method, url, body);
      expect({ request: `${method} ${url}`, status: answer.status, permission: (answer.body as { permission?: string }).permission }).toEqual({ request: `${method} ${url}`, status: 403, permission: 'accounts:write' });
    }
    const after = successPlanSchema.parse((await riley('GET', path)).body);
    expect(after).toMatchObject({ strategy: 'Globex self-serves by Q3', objectives: [expect.objectContaining({ id: objectiveId, title: 'Weekly reports in use', override: null, agreement: null })] });
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND entity_id IN ($2, $3)`, [((await ds.query(`SELECT id FROM users WHERE email = $1`, [DEMO_EMAIL.csm])) as Array<{ id: string }>)[0].id, globex.id, objectiveId])).toEqual([{ n: 0 }]);
  });

  it('answers 404 for an unknown account or objective', async () => {
    expect((await call('GET', '/accounts/00000000-0000-4000-8000-000000000000/success-plan')).status).toBe(404);
    expect((await call('DELETE', `/accounts/${acme.id}/success-plan/objectives/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});
