import { apiErrorSchema, TOKEN_SCOPES } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { callerFor, DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process';
import { approveThenTaskPlaybook } from './support/playbooks';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
  $ref?: string;
};
interface Operation {
  parameters?: Array<{ name: string; in: string; schema: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: unknown }>;
}
interface Route {
  method: string;
  path: string;
  operation: Operation;
}

/** Waits for an approval, then a task for the CSM: the run the suite's real approvals and tasks come from. */
const approveThenTask = approveThenTaskPlaybook('fuzz-approve-then-task', 'Fuzz: approve then task', { approval: 'Go ahead with {{account.name}}?', task: 'Call them' });

/** Field names whose uuid is a real row of a kind the suite knows. */
const ID_FIELDS: Record<string, string> = { accountId: 'accounts', accountIds: 'accounts', segmentId: 'segments', playbookId: 'playbooks', stakeholderId: 'sid', assigneeId: 'users', managerId: 'users', csmId: 'users', ownerId: 'users' };

/**
 * A value of the shape a request's JSON Schema (from the OpenAPI document, generated from the zod
 * contracts) describes: required fields, enum options, formats, bounds, real ids by field name. Not
 * always valid (patterns and cross-field rules are not modelled), but shaped, so one broken field
 * gets past the outer checks to the inner ones.
 */
class Sampler {
  private n: number;
  constructor(
    seed: number,
    private readonly ids: Record<string, string[]>,
  ) {
    this.n = seed;
  }

  private next(): number {
    this.n = (this.n * 1103515245 + 12345) % 2147483648;
    return this.n;
  }

  value(schema: JsonSchema | undefined, name: string, depth = 0): unknown {
    if (!schema || depth > 6) return 'x';
    if (schema.const !== undefined) return schema.const;
    if (schema.enum) return schema.enum[this.next() % schema.enum.length];
    const options = schema.anyOf ?? schema.oneOf;
    if (options) {
      const concrete = options.filter((o) => o.type !== 'null');
      return this.value(concrete[this.next() % Math.max(1, concrete.length)] ?? options[0], name, depth + 1);
    }
    if (schema.allOf) return this.value(Object.assign({}, ...schema.allOf) as JsonSchema, name, depth + 1);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(schema.properties ?? {})) {
          if (schema.required?.includes(key) || this.next() % 3 === 0) out[key] = this.value(property, key, depth + 1);
        }
        return out;
      }
      case 'array': {
        const count = Math.max(schema.minItems ?? 0, 1);
        return Array.from({ length: count }, () => this.value(schema.items, name, depth + 1));
      }
      case 'integer':
      case 'number': {
        const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
        const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
        return Math.min(max, min + (this.next() % 10));
      }
      case 'boolean':
        return this.next() % 2 === 0;
      case 'string':
        return this.text(schema, name);
      default:
        return {};
    }
  }

  private text(schema: JsonSchema, name: string): string {
    const n = this.next();
    switch (schema.format) {
      case 'uuid': {
        const real = this.ids[ID_FIELDS[name] ?? ''] ?? [];
        return real.length > 0 ? real[n % real.length] : '00000000-0000-4000-8000-000000000001';
      }
      case 'email':
        return `fuzz-${n}@example.com`;
      case 'date':
        return '2027-01-31';
      case 'date-time':
        return new Date(Date.now() + 86_400_000).toISOString();
    }
    if (/email/i.test(name)) return `fuzz-${n}@example.com`;
    if (name === 'segmentKey') return this.ids.segmentKeys[n % this.ids.segmentKeys.length];
    if (name === 'field') return 'account.arr';
    if (name === 'type') return 'product.fuzz_happened';
    const min = schema.minLength ?? 1;
    const candidates = [`fuzz ${n}`, `fuzz-${n}`, `fuzz_${n}`, 'product.fuzz_happened', `Fuzz${n}`].map((c) => c.padEnd(min, 'x').slice(0, schema.maxLength ?? 200));
    const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : null;
    return candidates.find((c) => !pattern || pattern.test(c)) ?? candidates[0];
  }
}

/** Every place in a JSON value (the root, each field, each item), as paths. */
function placesIn(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => placesIn(v, [...path, i]))];
  if (typeof value === 'object' && value !== null) return [...here, ...Object.entries(value).flatMap(([k, v]) => placesIn(v, [...path, k]))];
  return here;
}

/** `value` with the place number `pick` (of `placesIn`) replaced by `breaker`; the root is broken only when it is the only place. */
function breakOne(value: unknown, pick: number, breaker: unknown): unknown {
  const places = placesIn(value);
  const candidates = places.length > 1 ? places.slice(1) : places;
  const path = candidates[pick % candidates.length];
  if (path.length === 0) return breaker;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = breaker;
  return copy;
}

/**
 * Every endpoint the API documents (read from its own OpenAPI document, so a new one is covered
 * without editing this test) gets generated bad input: malformed JSON, wrong types, unknown fields,
 * full-Unicode text (NUL, lone surrogates), numbers beyond int4, negative and fractional, junk,
 * unknown and real ids in the path (accounts, runs, approvals, tasks, users, tokens…), junk in the
 * query, bodies over the size limit, and bodies and queries shaped by the route's own request
 * schema with one field broken at a time; as the admin, a CSM, a viewer and an API token. None may
 * answer 5xx, every 4xx has the one error body, and a 400 on the input names each field at fault.
 * Against real Postgres, the real Temporal dev server and the built worker (runs that wait on an
 * approval and on a task).
 */
describe('bad input on every endpoint', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const queue = `cairn-api-fuzz-${stamp}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let worker: WorkerProcess;
  let base: string;
  let routes: Route[];
  /** Real ids for each kind of path parameter, so requests get past the 404 to the body checks and the row rules. */
  let realIds: Record<string, string[]>;
  /** Every real id, for path parameters of no known kind. */
  let knownIds: string[];
  /** Signed in as the admin, so every request gets past the access check to the input checks. */
  let token: string;
  /** Who else sends requests: a CSM, a viewer and an API token with every scope (row rules, 403s). */
  let tokens: string[];

  beforeAll(async () => {
    db = await seededDatabase('fuzz');
    ds = db.ds;
    const env = { ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: queue, SMTP_URL: 'smtp://127.0.0.1:9', TEMPORAL_LOG_LEVEL: 'WARN', CAIRN_SEGMENT_SWEEP_MINUTES: '0' };
    worker = await startWorkerProcess(env);
    app = await createApp(loadConfig(testEnv(env)), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    token = (await signIn(`${base}/api`, DEMO_EMAIL.admin)).accessToken;
    const admin = callerFor(`${base}/api`, token);
    const openapi = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    routes = Object.entries(openapi.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));

    // Runs waiting on an approval, and one whose approval is decided so that it waits on a task.
    const playbook = await admin('POST', '/playbooks', { document: approveThenTask });
    const playbookId = (playbook.body as { id: string }).id;
    expect((await admin('POST', `/playbooks/${playbookId}/publish`, {})).status).toBe(201);
    const accounts = (await ds.query(`SELECT id FROM accounts ORDER BY name LIMIT 3`)) as Array<{ id: string }>;
    for (const { id } of accounts) expect((await admin('POST', `/playbooks/${playbookId}/enrollments`, { accountId: id })).status).toBe(201);
    const approvals = await worker.eventually('the runs to wait on their approvals', async () => {
      const rows = (await ds.query(`SELECT id FROM approvals WHERE status = 'pending'`)) as Array<{ id: string }>;
      return rows.length === accounts.length ? rows : undefined;
    });
    await worker.eventually('the first approval to be decided', async () => {
      const answer = await admin('POST', `/approvals/${approvals[0].id}/decision`, { decision: 'approved' });
      return answer.status === 200 ? true : undefined;
    });
    await worker.eventually('the task to open', async () => ((await ds.query(`SELECT id FROM tasks`)).length > 0 ? true : undefined));
    const objective = await admin('POST', `/accounts/${accounts[0].id}/success-plan/objectives`, { title: 'Fuzz objective' });
    expect(objective.status).toBe(201);
    const fuzzUsers: string[] = [];
    for (const role of ['csm', 'cs_manager'] as const) {
      const user = await admin('POST', '/users', { email: `fuzz-${role}@cairn.local`, name: `Fuzz ${role}`, role });
      expect(user.status).toBe(201);
      fuzzUsers.push((user.body as { id: string }).id);
    }
    const pat = await admin('POST', '/tokens', { name: 'Fuzz integration', scopes: [...TOKEN_SCOPES] });
    expect(pat.status).toBe(201);
    tokens = [(await signIn(`${base}/api`, DEMO_EMAIL.csm)).accessToken, (await signIn(`${base}/api`, DEMO_EMAIL.viewer)).accessToken, (pat.body as { token: string }).token];

    const ids = async (sql: string) => ((await ds.query(sql)) as Array<{ id: string }>).map((r) => r.id);
    realIds = {
      accounts: await ids(`SELECT id FROM accounts`),
      playbooks: await ids(`SELECT id FROM playbooks`),
      'playbook-versions': await ids(`SELECT id FROM playbook_versions`),
      segments: await ids(`SELECT id FROM segments`),
      runs: await ids(`SELECT id FROM runs`),
      approvals: await ids(`SELECT id FROM approvals`),
      tasks: await ids(`SELECT id FROM tasks`),
      // Only people made for the suite: valid-shaped bodies on PATCH /api/users/:id deactivate people
      // and end their sign-ins, which would leave the suite's own callers signed out.
      users: fuzzUsers,
      tokens: await ids(`SELECT id FROM api_tokens`),
      sid: await ids(`SELECT id FROM stakeholders`),
      objectiveId: await ids(`SELECT id FROM success_objectives`),
      key: await ids(`SELECT key AS id FROM account_fields`),
      segmentKeys: await ids(`SELECT key AS id FROM segments WHERE rule IS NULL`),
    };
    knownIds = Object.values(realIds).flat();
  });

  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await db?.drop();
  });

  /** The real ids a path parameter takes: by its name (`sid`), else by the collection it follows (`/api/runs/{id}`). */
  const realFor = (path: string, name: string): string[] => {
    if (realIds[name]) return realIds[name];
    const collection = path.split('/')[path.split('/').indexOf(`{${name}}`) - 1] ?? '';
    return realIds[collection] ?? knownIds;
  };
  const junkParam = fc.constantFrom('not-a-uuid', '0', '..', '%00', 'x'.repeat(300), "' OR 1=1 --", '3000000000', '-1', '1.5', '%ED%A0%80');
  const pathParams = (route: Route) => {
    const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    return fc.tuple(...names.map((name) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...realFor(route.path, name)) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: junkParam })));
  };
  const fill = (path: string, params: string[]) => {
    let i = 0;
    // Junk meant to stay encoded (%00, a lone surrogate's bytes) is sent as written.
    return path.replace(/\{[^}]+\}/g, () => {
      const value = params[i++] ?? 'x';
      return /%[0-9A-F]{2}/.test(value) ? value : encodeURIComponent(value);
    });
  };

  /** Strings of every kind: full Unicode (astral characters, NUL, lone surrogates), and the ones that broke things before. */
  const anyText = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d\ude80', '\u202e', '\ufeff', ' ', '', 'x'.repeat(5_000), '2027-02-30', '../../etc/passwd', '{{account.name}}'),
  );
  /** Numbers of every kind: beyond int4, negative, fractional, the largest double, beyond the safe integers. */
  const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(3_000_000_000, 2_147_483_648, -1, -0.5, 1.5, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-300));
  const breakers = fc.oneof(anyText, anyNumber, fc.constantFrom<unknown>(null, true, [], {}, [null], { 'k\u0000': 1 }, { __proto__: { admin: true } }));

  const jsonValue = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.dictionary(anyText, fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
    fc.record({ accountId: fc.oneof(fc.uuid(), anyText), type: anyText, document: fc.anything({ maxDepth: 2 }), rule: fc.anything({ maxDepth: 2 }), name: fc.oneof(anyText, anyNumber) }, { requiredKeys: [] }),
  );
  const body = fc.oneof(
    jsonValue.map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' })),
    fc.constantFrom('{', '{"a":', '[1,,2]', 'nul', '\u0000', '{"__proto__": {"admin": true}}', '{"a": "\\ud800"}', '{"a": 1e999}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]').map((raw) => ({ raw, type: 'application/json' })),
    fc.string({ maxLength: 60 }).map((raw) => ({ raw, type: 'text/plain' })),
  );
  const queryKeys = ['limit', 'cursor', 'status', 'accountId', 'playbookId', 'from', 'to', 'includeArchived', 'role', 'q', 'type', 'kind', 'health', 'renewalBefore', 'startedAfter', 'current', 'unknownParam'];
  const queryValue = fc.oneof(anyText, anyNumber.map(String), fc.constantFrom('-1', '1e9', '3000000000', '1.5', 'NaN', 'Infinity', '-0', '0x10', 'true', ''));
  const query = fc.dictionary(fc.constantFrom(...queryKeys), queryValue, { maxKeys: 3 });
  /** Who sends it: mostly the admin (past every access check), sometimes a CSM, a viewer or an API token. */
  const caller = () => fc.oneof({ weight: 3, arbitrary: fc.constant(token) }, { weight: 1, arbitrary: fc.constantFrom(...tokens) });

  async function send(method: string, path: string, params: string[], search: Record<string, string>, payload: { raw: string; type: string } | null, bearer = token) {
    const filled = fill(path, params);
    const qs = new URLSearchParams(search).toString();
    const response = await fetch(`${base}${filled}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(payload ? { 'content-type': payload.type } : {}) },
      body: payload && method !== 'GET' && method !== 'DELETE' ? payload.raw : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, where: `${method} ${filled}${qs ? `?${qs}` : ''} ${JSON.stringify(payload?.raw.slice(0, 300) ?? '')}` };
  }

  /**
   * No 5xx; every 4xx is the error body, a 400 on the input names the fields at fault (`body.…`,
   * `query.…`, `params.…`), and no value gets as far as Postgres refusing it (`invalid_value`).
   */
  function check(answer: { status: number; text: string; where: string }) {
    if (answer.status >= 500) throw new Error(`${answer.status} for ${answer.where}: ${answer.text.slice(0, 300)}`);
    if (answer.status < 400) return;
    const parsed = apiErrorSchema.safeParse(JSON.parse(answer.text));
    if (!parsed.success) throw new Error(`${answer.status} without the error body for ${answer.where}: ${answer.text.slice(0, 300)}`);
    // The error filter's backstop: Postgres refused a value the request checks let through.
    if (parsed.data.error === 'invalid_value') throw new Error(`a value reached Postgres and was refused for ${answer.where}: ${answer.text.slice(0, 300)}`);
    if (parsed.data.error === 'validation_failed' && !(parsed.data.issues.length > 0 && parsed.data.issues.every((i) => /^(body|query|params|header)\b/.test(i.path)))) {
      throw new Error(`a 400 that does not name the field for ${answer.where}: ${answer.text.slice(0, 300)}`);
    }
  }

  it('finds the endpoints to try in the OpenAPI document, each declaring its success answer (a schema the responses are checked against, or 204)', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => r.operation.requestBody).length).toBeGreaterThan(20);
    const declaresSuccess = (r: Route) => Object.entries(r.operation.responses ?? {}).some(([status, answer]) => status === '204' || (status.startsWith('2') && answer.content !== undefined));
    expect(routes.filter((r) => !declaresSuccess(r)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('never answers 5xx to generated bad input, and every 4xx has the error body', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(pathParams(route), query, body, caller(), async (params, search, payload, bearer) => {
          check(await send(route.method, route.path, params, search, payload, bearer));
        }),
        { numRuns: 20, seed: 424242 },
      );
    }
  });

  it('never answers 5xx to a valid-shaped body or query with one field broken', async () => {
    for (const route of routes) {
      const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
      const queryParams = (route.operation.parameters ?? []).filter((p) => p.in === 'query');
      if (!bodySchema && queryParams.length === 0) continue;
      const shaped = fc.record({ params: pathParams(route), seed: fc.integer({ min: 0, max: 1_000 }), pick: fc.nat(), breaker: breakers, inQuery: fc.boolean(), bearer: caller() });
      await fc.assert(
        fc.asyncProperty(shaped, async ({ params, seed, pick, breaker, inQuery, bearer }) => {
          const sample = new Sampler(seed, realIds);
          // Some of the optional filters (a cursor is never valid-shaped), then one broken.
          const search: Record<string, string> = Object.fromEntries(queryParams.filter((p, i) => p.name !== 'cursor' && (seed >> i) % 3 === 0).map((p) => [p.name, String(sample.value(p.schema, p.name))]));
          let payload: unknown = bodySchema ? sample.value(bodySchema, 'body') : undefined;
          if (queryParams.length > 0 && (inQuery || !bodySchema)) {
            const name = queryParams[pick % queryParams.length].name;
            search[name] = typeof breaker === 'string' || typeof breaker === 'number' ? String(breaker) : JSON.stringify(breaker);
          } else {
            payload = breakOne(payload, pick, breaker);
          }
          const raw = payload === undefined ? null : { raw: JSON.stringify(payload) ?? 'null', type: 'application/json' };
          check(await send(route.method, route.path, params, search, raw, bearer));
        }),
        { numRuns: 15, seed: 515151 },
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
