import { accountSchema, apiErrorSchema, bulkEnrollResponseSchema, playbookSchema, runSummarySchema, pageSchema } from '@cairn/contracts';
import { playbookRunWorkflowId } from '@cairn/workflows';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DEMO_EMAIL, signIn, openApiDocument, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

/**
 * POST /api/playbooks/:id/enrollments/bulk over HTTP, against real Postgres (a database of its own)
 * and the real Temporal dev server. No worker polls the API's task queue: the runs' workflows stay
 * scheduled, which is all enrollment needs.
 */
describe('bulk enrollment API', () => {
  const idleQueue = `cairn-api-bulk-${process.pid}-${Date.now().toString(36)}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let client: Client;
  let accounts: Array<z.infer<typeof accountSchema>>;
  let keys = 0;
  /** Ops enrolls (and publishes) in these tests. */
  let token = '';

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  const bulk = (playbookId: string, body: unknown) => call('POST', `/playbooks/${playbookId}/enrollments/bulk`, body);
  const issues = (body: unknown) => apiErrorSchema.parse(body).issues.map((i) => [i.path, i.message]);

  /** A one-wait playbook through the API, published unless told not to. */
  async function playbook({ publish = true, audience }: { publish?: boolean; audience?: string[] } = {}) {
    const key = `api-bulk-${++keys}`;
    const document = {
      schemaVersion: 2,
      key,
      name: `Bulk ${keys}`,
      ...(audience ? { audience: { segments: audience } } : {}),
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
        { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: '30 days' } },
        { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: { outcome: 'completed' } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'done' },
      ],
    };
    const created = await call('POST', '/playbooks', { document });
    expect(created.status).toBe(201);
    const { id } = playbookSchema.parse(created.body);
    if (publish) expect((await call('POST', `/playbooks/${id}/publish`, {})).status).toBe(201);
    return { id, key };
  }

  beforeAll(async () => {
    db = await seededDatabase('bulk');
    ds = db.ds;
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: idleQueue, CAIRN_ENROLL_CONCURRENCY: '4', CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    token = (await signIn(base, DEMO_EMAIL.ops)).accessToken;
    accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
  });

  afterAll(async () => {
    await app?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('is in the OpenAPI document with its body and answer', async () => {
    const openapi = await openApiDocument<{ paths: Record<string, { post?: { requestBody?: unknown; responses?: Record<string, unknown> } }> }>(base);
    const post = openapi.paths['/api/playbooks/{id}/enrollments/bulk']?.post;
    expect(post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { accountIds: expect.anything(), segmentId: expect.anything(), reason: expect.anything() } } } } });
    expect(Object.keys(post?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
  });

  it('enrolls a list of accounts, answers unknown ids as not_found, and enrolls nobody twice when repeated', async () => {
    const pb = await playbook();
    const chosen = accounts.slice(0, 3).map((a) => a.id);
    const unknown = randomUUID();
    const request = { accountIds: [chosen[0], unknown, chosen[1], chosen[2]], reason: 'Q3 adoption push' };

    const first = await bulk(pb.id, request);
    expect(first.status).toBe(200);
    const report = bulkEnrollResponseSchema.parse(first.body);
    expect(report).toMatchObject({ playbookId: pb.id, version: 1, segment: null, counts: { requested: 4, enrolled: 3, skipped: 1, failed: 0 }, failed: [] });
    expect(report.enrolled.map((e) => e.accountId)).toEqual(chosen);
    expect(report.skipped).toEqual([{ accountId: unknown, code: 'not_found', reason: 'No such account', runId: null }]);

    const runs = pageSchema(runSummarySchema).parse((await call('GET', `/runs?playbookId=${pb.id}`)).body).items;
    expect(runs.map((r) => r.id).sort()).toEqual(report.enrolled.map((e) => e.runId).sort());
    for (const run of runs) expect(run).toMatchObject({ status: 'running', enrolledBy: 'Olivia Park', reason: 'Q3 adoption push', version: 1 });
    const description = await client.workflow.getHandle(playbookRunWorkflowId(pb.key, chosen[1])).describe();
    expect(description.status.name).toBe('RUNNING');

    const again = bulkEnrollResponseSchema.parse((await bulk(pb.id, request)).body);
    expect(again.counts).toEqual({ requested: 4, enrolled: 0, skipped: 4, failed: 0 });
    expect(again.skipped.filter((s) => s.code === 'already_running')).toEqual(
      report.enrolled.map((e) => ({ accountId: e.accountId, code: 'already_running', reason: 'This playbook is already running for this account', runId: e.runId })),
    );
    expect(pageSchema(runSummarySchema).parse((await call('GET', `/runs?playbookId=${pb.id}`)).body).items).toHaveLength(3);
  });

  it('enrolls every account of a segment, saying so on each run; the audience still applies', async () => {
    const segment = accounts[0].segment;
    const members = accounts.filter((a) => a.segment.id === segment.id).map((a) => a.id);
    expect(members.length).toBeGreaterThan(1);
    const pb = await playbook();
    const answer = await bulk(pb.id, { segmentId: segment.id });
    expect(answer.status).toBe(200);
    const report = bulkEnrollResponseSchema.parse(answer.body);
    expect(report.segment).toEqual({ id: segment.id, key: segment.key, name: segment.name });
    expect(report.enrolled.map((e) => e.accountId).sort()).toEqual([...members].sort());
    const runs = pageSchema(runSummarySchema).parse((await call('GET', `/runs?playbookId=${pb.id}`)).body).items;
    expect(new Set(runs.map((r) => r.reason))).toEqual(new Set([`Bulk enrollment of segment "${segment.name}"`]));

    const other = accounts.find((a) => a.segment.id !== segment.id)?.segment;
    if (!other) throw new Error('the demo workspace has two segments');
    const elsewhere = await playbook({ audience: [other.key] });
    const refused = bulkEnrollResponseSchema.parse((await bulk(elsewhere.id, { segmentId: segment.id, reason: 'Wrong segment' })).body);
    expect(refused.counts).toMatchObject({ enrolled: 0, skipped: members.length });
    expect(new Set(refused.skipped.map((s) => s.code))).toEqual(new Set(['audience']));
  });

  it('refuses a malformed body with 400 naming each field, and writes nothing', async () => {
    const pb = await playbook();
    const [a, b] = accounts.map((x) => x.id);
    const cases: Array<[unknown, string[][]]> = [
      [{ accountIds: [a], status: 'completed' }, [['body.status', 'Unknown field "status"']]],
      [{ accountIds: [a, b, a] }, [['body.accountIds[2]', 'Duplicate of accountIds[0]; give each account once']]],
      [{ accountIds: [a], segmentId: accounts[0].segment.id }, [['body.accountIds', 'Give accountIds or segmentId, not both'], ['body.segmentId', 'Give accountIds or segmentId, not both']]],
      [{ reason: 'nobody' }, [['body.accountIds', expect.stringContaining('Give accountIds')], ['body.segmentId', expect.stringContaining('Give accountIds')]]] as [unknown, string[][]],
      [{ accountIds: [a, 'acme'] }, [['body.accountIds[1]', 'Invalid UUID']]],
      [{ accountIds: [] }, [['body.accountIds', expect.stringContaining('>=1')]]] as [unknown, string[][]],
    ];
    for (const [body, expected] of cases) {
      const answer = await bulk(pb.id, body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(issues(answer.body)).toEqual(expected);
    }
    expect(await ds.query(`SELECT id FROM runs WHERE playbook_id = $1`, [pb.id])).toEqual([]);
  });

  it('answers 404 for an unknown playbook or segment and 409 for a playbook never published', async () => {
    const ids = { accountIds: [accounts[0].id] };
    const missing = await bulk(randomUUID(), ids);
    expect(missing.status).toBe(404);
    expect(apiErrorSchema.parse(missing.body).message).toMatch(/^Playbook .* does not exist$/);

    const pb = await playbook();
    const noSegment = await bulk(pb.id, { segmentId: randomUUID() });
    expect(noSegment.status).toBe(404);
    expect(apiErrorSchema.parse(noSegment.body).message).toMatch(/^Segment .* does not exist$/);

    const draft = await playbook({ publish: false });
    const unpublished = await bulk(draft.id, ids);
    expect(unpublished.status).toBe(409);
    expect(apiErrorSchema.parse(unpublished.body).message).toContain('has no published version yet');
  });
});
