import { apiErrorSchema } from '@cairn/contracts';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { type Caller, signInAs, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

type Item = Record<string, unknown>;

/** One list: where it is, what identifies an item, the order it promises, and a filter to check. */
interface ListCase {
  route: string;
  path: () => string;
  idOf?: (item: Item) => string;
  /** True when `a` may come before `b` (the list's order, ties broken by id). */
  inOrder: (a: Item, b: Item) => boolean;
  /** A function: ids are known only once the data is in. */
  filter: { query: () => string; holds: (item: Item) => boolean };
}

const text = (value: unknown) => String(value);
/** Names compare by the database's collation: within a name, the id breaks the tie. */
const tiesById = (a: Item, b: Item) => text(a.name) !== text(b.name) || text(a.id) < text(b.id);
/**
 * Times at the database's microsecond precision tie within a millisecond in the answer: only the
 * key's direction can be checked here (the walk equalling one big page checks the rest).
 */
const byKey = (key: (i: Item) => string, direction: 1 | -1) => (a: Item, b: Item) => (direction === 1 ? key(a) <= key(b) : key(a) >= key(b));
/** Postgres compares ids as uuids: their lower-case hex text compares the same. */
const byKeyThenId = (key: (i: Item) => string | number, direction: 1 | -1, id = (i: Item) => text(i.id)) => (a: Item, b: Item) => {
  const ka = key(a);
  const kb = key(b);
  if (ka !== kb) return direction === 1 ? ka < kb : ka > kb;
  return direction === 1 ? id(a) < id(b) : id(a) > id(b);
};
/** Approvals and tasks: due first (an undated approval after every dated one); times that tie within a millisecond are checked by the walk. */
const dueFirstThenId = (a: Item, b: Item) => {
  if (a.dueAt === null) return b.dueAt === null && text(a.id) < text(b.id);
  return b.dueAt === null || text(a.dueAt) <= text(b.dueAt);
};

/**
 * Every converted list against real Postgres: walking it page by page with a small limit gives
 * each item once, with no gaps (the same items as one big page), in the promised order; its filter
 * keeps only matching items; a forged cursor is a 400 on `query.cursor`; an unknown parameter is a
 * 400 naming it. Rows are added that tie on the sort key (same name, same microsecond-precise time
 * within one millisecond), so the id tie-break and the cursor's precision are what keep pages exact.
 */
describe('pagination on every list', () => {
  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let call: Caller;
  let accountId: string;
  let runId: string;
  let segmentId: string;
  let csmId: string;
  let versionedPlaybookId: string;

  beforeAll(async () => {
    db = await seededDatabase('pages');
    ds = db.ds;
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: `cairn-api-pages-${process.pid}`, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    call = await signInAs(base, 'admin');

    const [segment] = await ds.query(`SELECT id FROM segments WHERE rule IS NULL AND archived_at IS NULL ORDER BY priority, id LIMIT 1`);
    segmentId = segment.id;
    const [csm] = await ds.query(`SELECT id FROM users WHERE role = 'csm' ORDER BY id LIMIT 1`);
    csmId = csm.id;
    // Seven accounts with one name (the id breaks the tie), some red, some renewing in Q1, one CSM.
    const pagers: Array<{ id: string }> = await ds.query(
      `INSERT INTO accounts (name, segment_id, assigned_segment_id, csm_id, attributes, health_status)
       SELECT 'Pager Co', $1, $1, CASE WHEN n % 2 = 0 THEN $2::uuid END,
              jsonb_build_object('renewal_date', CASE WHEN n <= 4 THEN '2027-02-0' || n ELSE '2027-06-01' END, 'lifecycle_stage', 'adoption'),
              CASE WHEN n % 3 = 0 THEN 'red' END
       FROM generate_series(1, 7) AS n RETURNING id`,
      [segmentId, csmId],
    );
    accountId = pagers[0].id;
    await ds.query(`INSERT INTO segment_memberships (segment_id, account_id, entered_at, entered_reason, entered_notified) SELECT $1, id, now(), 'test', true FROM accounts WHERE name = 'Pager Co'`, [segmentId]);
    await ds.query(`INSERT INTO account_external_ids (system, external_id, account_id) VALUES ('salesforce', 'PGR-0042', $1)`, [pagers[3].id]);
    // Past memberships of the first account, entered within one millisecond.
    await ds.query(
      `INSERT INTO segment_memberships (segment_id, account_id, entered_at, entered_reason, exited_at, exited_reason, entered_notified, exited_notified)
       SELECT $1, $2, '2026-01-01T00:00:00.000100Z'::timestamptz + n * interval '1 microsecond', 'test', '2026-02-01T00:00:00Z', 'test', true, true FROM generate_series(1, 5) AS n`,
      [segmentId, accountId],
    );
    // Runs, several started within one millisecond, of two statuses.
    const [version] = await ds.query(`SELECT v.id, v.playbook_id FROM playbook_versions v ORDER BY v.published_at LIMIT 1`);
    const runs: Array<{ id: string }> = await ds.query(
      `INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status, started_at)
       SELECT 'pages-' || n, $1, $2, a.id, CASE WHEN n % 2 = 0 THEN 'completed' ELSE 'exited' END, '2026-03-01T00:00:00.000500Z'::timestamptz + (n % 4) * interval '1 microsecond'
       FROM generate_series(1, 9) AS n, LATERAL (SELECT (ARRAY(SELECT id FROM accounts WHERE name = 'Pager Co' ORDER BY id))[1 + n % 7] AS id) a RETURNING id`,
      [version.playbook_id, version.id],
    );
    runId = runs[0].id;
    await ds.query(
      `INSERT INTO sent_emails (idempotency_key, run_id, node_id, playbook_version_id, account_id, to_address, to_role, subject, body, status, reason, created_at)
       SELECT 'pages-' || n, $1, 'welcome', $2, $3, 'dana@example.com', 'champion', 'Hi', 'Hello', 'sent', 'test', '2026-03-02T00:00:00.000200Z'::timestamptz + (n % 3) * interval '1 microsecond'
       FROM generate_series(1, 5) AS n`,
      [runId, version.id, accountId],
    );
    // Approvals and tasks, several due within one millisecond, approvals also undated, of two statuses.
    await ds.query(
      `INSERT INTO approvals (run_id, node_id, account_id, assignee_id, title, status, due_at)
       SELECT $1, 'approve-' || n, $2, $3, 'Approve ' || n, CASE WHEN n % 3 = 0 THEN 'approved' ELSE 'pending' END,
              CASE WHEN n > 6 THEN NULL ELSE '2026-05-01T00:00:00.000300Z'::timestamptz + (n % 3) * interval '1 microsecond' END
       FROM generate_series(1, 9) AS n`,
      [runId, accountId, csmId],
    );
    await ds.query(
      `INSERT INTO tasks (run_id, node_id, account_id, playbook_version_id, title, owner_side, owner_role, assignee_id, completion, status, due_at, reason)
       SELECT $1, 'task-' || n, $2, $3, 'Task ' || n, 'ours', 'csm', $4, 'person', CASE WHEN n % 3 = 0 THEN 'done' ELSE 'open' END,
              '2026-05-02T00:00:00.000700Z'::timestamptz + (n % 4) * interval '1 microsecond', 'test'
       FROM generate_series(1, 8) AS n`,
      [runId, accountId, version.id, csmId],
    );
    // A playbook with seven published versions.
    const [versioned] = await ds.query(`INSERT INTO playbooks (key, name, kind, draft) VALUES ('pages-versioned', 'Versioned', 'pages', '{}'::jsonb) RETURNING id`);
    versionedPlaybookId = versioned.id;
    await ds.query(
      `INSERT INTO playbook_versions (playbook_id, version, hash, document, plan, published_by, note)
       SELECT $1, n, 'hash-' || n, v.document, v.plan, 'Olivia Park', 'Version ' || n FROM generate_series(1, 7) AS n, (SELECT document, plan FROM playbook_versions LIMIT 1) v`,
      [versioned.id],
    );
    // Playbooks and segments that tie on their sort key.
    await ds.query(`INSERT INTO playbooks (key, name, kind, draft) SELECT 'pages-' || n, 'Pager playbook', 'pages', '{}'::jsonb FROM generate_series(1, 4) AS n`);
    await ds.query(`INSERT INTO segments (key, name, touch_model, priority) VALUES ('pages-a', 'Pages A', 'tech', 100), ('pages-b', 'Pages B', 'low', 100)`);
    // Events at one instant, of two types.
    await ds.query(
      `INSERT INTO account_events (account_id, type, data, source, occurred_at)
       SELECT $1, CASE WHEN n % 2 = 0 THEN 'product.login' ELSE 'crm.note' END, '{}', 'api', '2026-04-01T00:00:00.000Z' FROM generate_series(1, 7) AS n`,
      [accountId],
    );
    // People (the API writes their history), two of them with one name, one who left.
    for (const [i, name] of ['Avery', 'Blake', 'Blake', 'Casey', 'Drew'].entries()) {
      const created = await call('POST', `/accounts/${accountId}/stakeholders`, { name, email: `p${i}@pager.example`, role: i % 2 ? 'champion' : 'user' });
      expect(created.status).toBe(201);
    }
    const [drew] = await ds.query(`SELECT id FROM stakeholders WHERE account_id = $1 AND name = 'Drew'`, [accountId]);
    expect((await call('POST', `/accounts/${accountId}/stakeholders/${drew.id}/left`, { reason: 'Moved on' })).status).toBe(200);
    // Tokens, one revoked.
    for (const name of ['pages-a', 'pages-b', 'pages-c']) expect((await call('POST', '/tokens', { name, scopes: ['events:write'] })).status).toBe(201);
    const [revoked] = await ds.query(`SELECT id FROM api_tokens WHERE name = 'pages-b'`);
    expect((await call('DELETE', `/tokens/${revoked.id}`)).status).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const lists: ListCase[] = [
    {
      route: 'GET /api/accounts',
      path: () => '/accounts',
      inOrder: tiesById,
      filter: { query: () => `q=pager&health=red`, holds: (i) => text(i.name) === 'Pager Co' && (i.health as { status: string } | null)?.status === 'red' },
    },
    {
      route: 'GET /api/accounts (owner, segment, stage, renewal)',
      path: () => '/accounts',
      inOrder: tiesById,
      filter: {
        query: () => `ownerId=${csmId}&segmentId=${segmentId}&lifecycleStage=adoption&renewalAfter=2027-02-01&renewalBefore=2027-03-01`,
        holds: (i) => (i.csm as { id: string } | null)?.id === csmId && text((i.attributes as Item).renewal_date) < '2027-03-01' && text((i.attributes as Item).lifecycle_stage) === 'adoption',
      },
    },
    {
      route: 'GET /api/accounts (q finds an external id, in any case)',
      path: () => '/accounts',
      inOrder: tiesById,
      filter: { query: () => 'q=pgr-00', holds: (i) => (i.externalIds as Record<string, string>).salesforce === 'PGR-0042' },
    },
    {
      route: 'GET /api/runs',
      path: () => '/runs',
      inOrder: byKey((i) => text(i.startedAt), -1),
      filter: { query: () => `status=completed&startedAfter=2026-03-01T00:00:00Z&startedBefore=2026-03-02T00:00:00Z`, holds: (i) => i.status === 'completed' && text(i.startedAt).startsWith('2026-03-01') },
    },
    {
      route: 'GET /api/runs/:id/emails',
      path: () => `/runs/${runId}/emails`,
      inOrder: () => true,
      filter: { query: () => '', holds: (i) => i.runId === runId },
    },
    {
      route: 'GET /api/approvals',
      path: () => `/approvals?accountId=${accountId}`,
      inOrder: dueFirstThenId,
      filter: { query: () => `status=pending&assigneeId=${csmId}`, holds: (i) => i.status === 'pending' && i.assigneeId === csmId },
    },
    {
      route: 'GET /api/tasks',
      path: () => `/tasks?accountId=${accountId}`,
      inOrder: dueFirstThenId,
      filter: { query: () => 'status=open', holds: (i) => i.status === 'open' },
    },
    {
      route: 'GET /api/playbooks',
      path: () => '/playbooks',
      inOrder: tiesById,
      filter: { query: () => 'status=published', holds: (i) => i.latestVersion !== null && i.archivedAt === null },
    },
    {
      route: 'GET /api/playbooks/:id/versions',
      path: () => `/playbooks/${versionedPlaybookId}/versions`,
      inOrder: (a, b) => Number(a.version) > Number(b.version),
      filter: { query: () => '', holds: (i) => Number(i.version) >= 1 },
    },
    {
      route: 'GET /api/segments',
      path: () => '/segments',
      inOrder: byKeyThenId((i) => Number(i.priority), 1, (i) => text(i.key)),
      filter: { query: () => 'kind=manual', holds: (i) => i.kind === 'manual' },
    },
    {
      route: 'GET /api/segments/:id/members',
      path: () => `/segments/${segmentId}/members`,
      idOf: (i) => text(i.accountId),
      inOrder: (a, b) => text(a.name) !== text(b.name) || text(a.accountId) < text(b.accountId),
      filter: { query: () => '', holds: (i) => typeof i.accountId === 'string' },
    },
    {
      route: 'GET /api/accounts/:id/segments',
      path: () => `/accounts/${accountId}/segments`,
      inOrder: byKey((i) => text(i.enteredAt), -1),
      filter: { query: () => 'current=false', holds: (i) => i.exitedAt !== null },
    },
    {
      route: 'GET /api/accounts/:id/events',
      path: () => `/accounts/${accountId}/events`,
      inOrder: byKeyThenId((i) => text(i.occurredAt), -1),
      filter: { query: () => 'type=product.*', holds: (i) => text(i.type).startsWith('product.') },
    },
    {
      route: 'GET /api/accounts/:id/stakeholders',
      path: () => `/accounts/${accountId}/stakeholders`,
      inOrder: tiesById,
      filter: { query: () => 'role=champion&status=active', holds: (i) => i.role === 'champion' && i.status === 'active' },
    },
    {
      route: 'GET /api/accounts/:id/stakeholders/history',
      path: () => `/accounts/${accountId}/stakeholders/history`,
      inOrder: byKey((i) => text(i.at), -1),
      filter: { query: () => 'kind=created', holds: (i) => i.kind === 'created' },
    },
    {
      route: 'GET /api/audit',
      path: () => '/audit',
      inOrder: byKeyThenId((i) => text(i.at), -1),
      filter: { query: () => 'action=stakeholder.*', holds: (i) => text(i.action).startsWith('stakeholder.') },
    },
    {
      route: 'GET /api/users',
      path: () => '/users',
      inOrder: tiesById,
      filter: { query: () => 'role=csm', holds: (i) => i.role === 'csm' },
    },
    {
      route: 'GET /api/tokens',
      path: () => '/tokens',
      inOrder: byKey((i) => text(i.createdAt), -1),
      filter: { query: () => 'status=revoked', holds: (i) => i.revokedAt !== null },
    },
    {
      route: 'GET /api/account-fields',
      path: () => '/account-fields',
      idOf: (i) => text(i.key),
      inOrder: byKeyThenId((i) => Number(i.position), 1, (i) => text(i.key)),
      filter: { query: () => 'builtIn=true', holds: (i) => i.builtIn === true },
    },
  ];

  const join = (path: string, query: string) => (query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path);

  async function page(path: string): Promise<{ items: Item[]; nextCursor: string | null }> {
    const answer = await call('GET', path);
    expect(`${path}: ${answer.status}`).toBe(`${path}: 200`);
    const body = answer.body as { items: Item[]; nextCursor: string | null };
    expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
    return body;
  }

  /** Every item, walking pages of `limit`. */
  async function walk(path: string, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const next = await page(join(path, `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      expect(next.items.length).toBeLessThanOrEqual(limit);
      items.push(...next.items);
      cursor = next.nextCursor;
      if (!cursor) return items;
      expect(next.items).toHaveLength(limit);
    }
    throw new Error(`${path}: more than 200 pages`);
  }

  describe.each(lists.map((l) => [l.route, l] as const))('%s', (_route, list) => {
    const idOf = (i: Item) => (list.idOf ?? ((x: Item) => text(x.id)))(i);

    it('walks every page: each item once, no gaps, in order', async () => {
      const all = (await page(join(list.path(), 'limit=200'))).items;
      expect(all.length).toBeGreaterThan(2);
      const walked = await walk(list.path(), 2);
      const ids = walked.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.map(idOf));
      for (let i = 1; i < walked.length; i++) expect([list.route, i, list.inOrder(walked[i - 1], walked[i])]).toEqual([list.route, i, true]);
    });

    it('applies its filter on every page', async () => {
      const path = join(list.path(), list.filter.query());
      const walked = await walk(path, 2);
      expect(walked.length).toBeGreaterThan(0);
      expect(walked.filter((i) => !list.filter.holds(i)).map(idOf)).toEqual([]);
      const all = (await page(join(list.path(), 'limit=200'))).items;
      expect(walked.map(idOf)).toEqual(all.filter(list.filter.holds).map(idOf));
    });

    it('refuses a forged cursor with a 400 on query.cursor', async () => {
      for (const forged of ['made-up', Buffer.from(JSON.stringify(['x', 'not-an-id'])).toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
        const answer = await call('GET', join(list.path(), `cursor=${forged}`));
        expect(answer.status).toBe(400);
        expect(apiErrorSchema.parse(answer.body).issues.map((i) => i.path)).toEqual(['query.cursor']);
      }
    });

    it('refuses an unknown parameter with a 400 naming it', async () => {
      const answer = await call('GET', join(list.path(), 'orderBy=name'));
      expect(answer.status).toBe(400);
      expect(apiErrorSchema.parse(answer.body).issues.map((i) => i.path)).toEqual(['query.orderBy']);
    });
  });
});
