import { apiErrorSchema } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

/**
 * Every endpoint the API documents (read from its own OpenAPI document, so a new one is covered
 * without editing this test) gets generated bad input: malformed JSON, wrong types, unknown fields,
 * junk and unknown ids in the path, junk in the query, bodies over the size limit. None may answer
 * 5xx, and every 4xx has the one error body. Against real Postgres and the real Temporal dev server
 * (workflows go to a queue no worker polls).
 */
describe('bad input on every endpoint', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let routes: Array<{ method: string; path: string }>;
  /** Real ids, so some requests get past the 404 to the body checks. */
  let knownIds: string[];
  /** Signed in as the admin, so every request gets past the access check to the input checks. */
  let token: string;

  beforeAll(async () => {
    db = await seededDatabase('fuzz');
    ds = db.ds;
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: `cairn-api-fuzz-${stamp}`, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    token = (await signIn(`${base}/api`, DEMO_EMAIL.admin)).accessToken;
    const openapi = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(openapi.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
    // Not the users' ids: random bodies on PATCH /api/users/:id could take the signed-in admin's rights away mid-test.
    const ids = await ds.query(`SELECT id FROM accounts UNION ALL SELECT id FROM playbooks UNION ALL SELECT id FROM segments UNION ALL SELECT id FROM stakeholders`);
    knownIds = ids.map((r: { id: string }) => r.id);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const pathParam = () => fc.oneof(fc.constantFrom(...knownIds), fc.uuid(), fc.constantFrom('not-a-uuid', '0', '..', '%00', 'x'.repeat(300), "' OR 1=1 --"));
  const jsonValue = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
    fc.record({ accountId: fc.oneof(fc.uuid(), fc.string()), type: fc.string(), document: fc.anything({ maxDepth: 2 }), rule: fc.anything({ maxDepth: 2 }), name: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
  );
  const body = fc.oneof(
    jsonValue.map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' })),
    fc.constantFrom('{', '{"a":', '[1,,2]', 'nul', '\u0000', '{"__proto__": {"admin": true}}').map((raw) => ({ raw, type: 'application/json' })),
    fc.string({ maxLength: 60 }).map((raw) => ({ raw, type: 'text/plain' })),
  );
  const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'accountId', 'playbookId', 'from', 'to', 'includeArchived', 'role', 'q', 'type', 'kind', 'health', 'renewalBefore', 'startedAfter', 'current', 'unknownParam'), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '1e9', 'true', 'NaN', '')), { maxKeys: 3 });

  async function send(method: string, path: string, params: string[], search: Record<string, string>, payload: { raw: string; type: string } | null) {
    let i = 0;
    const filled = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % params.length] ?? 'x'));
    const qs = new URLSearchParams(search).toString();
    const response = await fetch(`${base}${filled}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': payload.type } : {}) },
      body: payload && method !== 'GET' && method !== 'DELETE' ? payload.raw : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, where: `${method} ${filled}${qs ? `?${qs}` : ''} ${payload?.raw.slice(0, 200) ?? ''}` };
  }

  it('finds the endpoints to try in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it('never answers 5xx to generated bad input, and every 4xx has the error body', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fc.array(pathParam(), { minLength: 1, maxLength: 3 }), query, body, async (params, search, payload) => {
          const answer = await send(route.method, route.path, params, search, payload);
          if (answer.status >= 500) throw new Error(`${answer.status} for ${answer.where}: ${answer.text.slice(0, 300)}`);
          if (answer.status >= 400) expect(apiErrorSchema.safeParse(JSON.parse(answer.text)).success).toBe(true);
        }),
        { numRuns: 20, seed: 424242 },
      );
    }
  });

  /**
   * Inputs Postgres cannot store: NUL in text or jsonb (22021 / 22P05), a lone surrogate in jsonb
   * (22P02), an integer beyond int4 (22003). Each is a 400 naming the field, before any query.
   */
  describe('text and numbers Postgres cannot store', () => {
    let account: string;
    let playbook: string;
    let segmentKey: string;
    beforeAll(async () => {
      account = ((await ds.query(`SELECT id FROM accounts ORDER BY name LIMIT 1`)) as Array<{ id: string }>)[0].id;
      playbook = ((await ds.query(`SELECT id FROM playbooks ORDER BY key LIMIT 1`)) as Array<{ id: string }>)[0].id;
      segmentKey = ((await ds.query(`SELECT key FROM segments WHERE rule IS NULL ORDER BY key LIMIT 1`)) as Array<{ key: string }>)[0].key;
    });
    const call = async (method: string, path: string, raw: string, type = 'application/json') => {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: method === 'GET' ? undefined : raw });
      return { status: response.status, body: (await response.json()) as { error: string; issues: Array<{ path: string }> } };
    };
    const cases: Array<[string, () => [string, string, string, string?], number, string]> = [
      ['NUL in a segment name', () => ['POST', '/api/segments', JSON.stringify({ key: `nul-${stamp}`, name: 'a\u0000b', touchModel: 'low' })], 400, 'body.name'],
      ['NUL in a rule value', () => ['POST', '/api/segments/preview', JSON.stringify({ rule: { field: 'account.plan', op: 'eq', value: 'x\u0000' } })], 400, 'body.rule.value'],
      ['a lone surrogate in a rule value', () => ['POST', '/api/segments/preview', '{"rule": {"field": "account.plan", "op": "eq", "value": "x\\ud800"}}'], 400, 'body.rule.value'],
      ['NUL in event data', () => ['POST', '/api/events', JSON.stringify({ accountId: account, type: 'product.fuzz', data: { note: 'a\u0000' } })], 400, 'body.data.note'],
      ['a lone surrogate in event data', () => ['POST', '/api/events', `{"accountId": "${account}", "type": "product.fuzz", "data": {"note": "\\udc00x"}}`], 400, 'body.data.note'],
      ['NUL in an event data key', () => ['POST', '/api/events', JSON.stringify({ accountId: account, type: 'product.fuzz', data: { 'k\u0000': 1 } })], 400, 'body.data'],
      ['NUL in a stakeholder name', () => ['POST', `/api/accounts/${account}/stakeholders`, JSON.stringify({ name: 'Ada\u0000', email: `nul-${stamp}@example.com`, role: 'user' })], 400, 'body.name'],
      ['NUL in a success plan strategy', () => ['PUT', `/api/accounts/${account}/success-plan`, JSON.stringify({ strategy: 'grow\u0000' })], 400, 'body.strategy'],
      ['NUL in a query filter', () => ['GET', `/api/accounts?q=${encodeURIComponent('a\u0000')}`, ''], 400, 'query.q'],
      ['a diff from a version beyond int4', () => ['GET', `/api/playbooks/${playbook}/diff?from=3000000000`, ''], 400, 'query.from'],
      ['a base revision beyond int4', () => ['PUT', `/api/playbooks/${playbook}/draft`, JSON.stringify({ document: {}, baseRevision: 3_000_000_000 })], 400, 'body.baseRevision'],
    ];
    it.each(cases)('%s is a 400 naming the field', async (_name, request, status, path) => {
      const [method, url, raw, type] = request();
      const answer = await call(method, url, raw, type);
      expect({ status: answer.status, paths: answer.body.issues?.map((i) => i.path) }).toEqual({ status, paths: expect.arrayContaining([path]) });
    });

    it('rejects a CSV row whose cell holds a NUL character, naming the column', async () => {
      const csv = `name,segment_key,external_id:crm\nAcme\u0000,${segmentKey},nul-${stamp}\nFine Co,${segmentKey},ok\u0000-${stamp}\n`;
      const response = await fetch(`${base}/api/accounts/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
      const report = (await response.json()) as { rows: Array<{ row: number; status: string; errors: Array<{ column: string }> }> };
      expect(response.status).toBe(200);
      expect(report.rows.map((r) => [r.row, r.status, [...new Set(r.errors.map((e) => e.column))]])).toEqual([
        [2, 'rejected', ['name']],
        [3, 'rejected', ['external_id:crm']],
      ]);
    });
  });

  it('answers 413, not 500, to a body over the limit on every endpoint that takes one', async () => {
    const huge = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    for (const route of routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))) {
      const answer = await send(route.method, route.path, knownIds.slice(0, 1), {}, { raw: huge, type: 'application/json' });
      expect(`${route.method} ${route.path}: ${answer.status}`).toBe(`${route.method} ${route.path}: 413`);
    }
  });
});
