// enrollMany against real Postgres (a database of its own) and the Temporal dev server. No worker
// polls the task queue: started workflows stay scheduled, which is all enrollment needs (they are
// terminated in afterAll).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { playbookRunWorkflowId } from '@cairn/workflows';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { type EnrollmentDeps, enrollAccount, enrollMany, EnrollmentNotFoundError, MAX_BULK_ENROLLMENT } from '../src';
import { ensureSegments, insertAccount, insertPlaybook, ownDatabase } from './fixtures';

const TASK_QUEUE = `enroll-many-test-${Date.now()}`;

describe('enrollMany', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let connection: Connection;
  let deps: EnrollmentDeps;
  let segments: Record<string, string> = {};
  const started = new Set<string>();
  const warnings: string[] = [];

  beforeAll(async () => {
    ({ dataSource, drop } = await ownDatabase('enroll_many'));
    segments = await ensureSegments(dataSource);
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    deps = { dataSource, temporal: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }), taskQueue: TASK_QUEUE, warn: (message) => warnings.push(message) };
  });

  afterAll(async () => {
    for (const workflowId of started) await deps.temporal.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    await connection?.close();
    await drop?.();
  });

  beforeEach(() => {
    warnings.length = 0;
  });

  const accounts = (n: number, segment = 'smb') => Promise.all(Array.from({ length: n }, (_, i) => insertAccount(dataSource, segments[segment], `Acme ${segment} ${i}`)));
  const runsOf = (playbookId: string): Promise<Array<{ id: string; account_id: string; status: string; temporal_run_id: string | null; enrolled_by: string; reason: string | null }>> =>
    dataSource.query(`SELECT id, account_id, status, temporal_run_id, enrolled_by, reason FROM runs WHERE playbook_id = $1 ORDER BY account_id`, [playbookId]);

  async function many(req: Parameters<typeof enrollMany>[1], using: EnrollmentDeps = deps) {
    const result = await enrollMany(using, req);
    for (const e of result.enrolled) started.add(e.workflowId);
    return result;
  }

  it('starts one run per account in one call: rows, workflows, Temporal run ids stored; answers in request order', async () => {
    const pb = await insertPlaybook(dataSource);
    const ids = await accounts(30);
    const unknown = randomUUID();
    const request = [ids[0], unknown, ...ids.slice(1), ids[3].toUpperCase(), 'not-a-uuid'];
    const result = await many({ playbookId: pb.id, accountIds: request, enrolledBy: 'test', reason: 'Q3 segment push', concurrency: 8 });

    expect(result).toMatchObject({ playbook: { id: pb.id, key: pb.key }, version: 1, failed: [] });
    expect(result.enrolled.map((e) => e.accountId)).toEqual(ids);
    expect(result.skipped).toEqual([
      { accountId: unknown, code: 'not_found', reason: 'No such account', runId: null },
      { accountId: 'not-a-uuid', code: 'not_found', reason: 'No such account', runId: null },
    ]);
    for (const e of result.enrolled) expect(e.workflowId).toBe(playbookRunWorkflowId(pb.key, e.accountId));

    const rows = await runsOf(pb.id);
    expect(rows).toHaveLength(30);
    const byAccount = new Map(rows.map((r) => [r.account_id, r]));
    for (const e of result.enrolled) {
      expect(byAccount.get(e.accountId)).toMatchObject({ id: e.runId, status: 'running', enrolled_by: 'test', reason: 'Q3 segment push' });
    }
    // Stored before the call returns (batched UPDATEs), and the first execution's id in Temporal.
    const sample = result.enrolled[7];
    const description = await deps.temporal.workflow.getHandle(sample.workflowId).describe();
    expect(byAccount.get(sample.accountId)?.temporal_run_id).toBe(description.runId);
    expect(description.memo).toEqual({ runId: sample.runId, playbookKey: pb.key, version: 1 });
    expect(rows.every((r) => r.temporal_run_id !== null)).toBe(true);
  });

  it('is idempotent: the same request again enrolls nobody and names each open run', async () => {
    const pb = await insertPlaybook(dataSource, { settings: { reentry: { policy: 'every_time' } } });
    const ids = await accounts(12);
    const first = await many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test' });
    expect(first.enrolled).toHaveLength(12);
    const again = await many({ playbookKey: pb.key, accountIds: ids, enrolledBy: 'test' });
    expect(again.enrolled).toEqual([]);
    expect(again.failed).toEqual([]);
    expect(again.skipped).toEqual(first.enrolled.map((e) => ({ accountId: e.accountId, code: 'already_running', reason: 'This playbook is already running for this account', runId: e.runId })));
    expect(await runsOf(pb.id)).toHaveLength(12);
  });

  it('enrolls each account once when the same request runs twice at the same time', async () => {
    const pb = await insertPlaybook(dataSource, { settings: { reentry: { policy: 'every_time' } } });
    await many({ playbookId: pb.id, accountIds: await accounts(1), enrolledBy: 'test' }); // caches the version
    const ids = await accounts(40);
    const [a, b] = await Promise.all([1, 2].map(() => many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test', concurrency: 4 })));
    expect(a.enrolled.length + b.enrolled.length).toBe(40);
    const winners = new Map([...a.enrolled, ...b.enrolled].map((e) => [e.accountId, e.runId]));
    expect(winners.size).toBe(40);
    for (const s of [...a.skipped, ...b.skipped]) expect(s).toMatchObject({ code: 'already_running', runId: winners.get(s.accountId) });
    const rows = await dataSource.query(`SELECT account_id FROM runs WHERE playbook_id = $1 AND account_id = ANY($2::uuid[])`, [pb.id, ids]);
    expect(rows).toHaveLength(40);
  });

  it('applies the audience and the re-entry policy to each account, and shares runs with enrollAccount', async () => {
    const pb = await insertPlaybook(dataSource, { audience: { segments: ['enterprise'] } });
    const [smb] = await accounts(1, 'smb');
    const [ranBefore, runningAlready, fresh] = await accounts(3, 'enterprise');
    const before = await enrollAccount(deps, { accountId: ranBefore, playbookId: pb.id, enrolledBy: 'test' });
    if (before.status !== 'enrolled') throw new Error('not enrolled');
    await deps.temporal.workflow.getHandle(before.workflowId).terminate('ended for the test');
    await dataSource.query(`UPDATE runs SET status = 'completed', ended_at = now() WHERE id = $1`, [before.runId]);
    const open = await enrollAccount(deps, { accountId: runningAlready, playbookId: pb.id, enrolledBy: 'test' });
    if (open.status !== 'enrolled') throw new Error('not enrolled');
    started.add(open.workflowId);

    const result = await many({ playbookId: pb.id, accountIds: [smb, ranBefore, runningAlready, fresh], enrolledBy: 'test' });
    const day = before.run.startedAt.toISOString().slice(0, 10);
    expect(result.enrolled.map((e) => e.accountId)).toEqual([fresh]);
    expect(result.skipped).toEqual([
      { accountId: smb, code: 'audience', reason: 'Audience: the playbook is for segment "enterprise"; the account is in "smb"', runId: null },
      { accountId: ranBefore, code: 'reentry', reason: `Re-entry policy "once": the account already ran this playbook (${day})`, runId: null },
      { accountId: runningAlready, code: 'already_running', reason: 'This playbook is already running for this account', runId: open.runId },
    ]);
    expect((await runsOf(pb.id)).map((r) => r.account_id).sort()).toEqual([ranBefore, runningAlready, fresh].sort());
  });

  it('skips everyone (no_version) for a playbook never published, and writes nothing', async () => {
    const pb = await insertPlaybook(dataSource, {}, false);
    const ids = await accounts(2);
    const result = await many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test' });
    expect(result.version).toBeNull();
    expect(result.skipped.map((s) => s.code)).toEqual(['no_version', 'no_version']);
    expect(await runsOf(pb.id)).toEqual([]);
  });

  it('leaves no row for a workflow Temporal already has open (started outside Cairn): skipped as running', async () => {
    const pb = await insertPlaybook(dataSource);
    const [taken, free] = await accounts(2);
    const workflowId = playbookRunWorkflowId(pb.key, taken);
    await deps.temporal.workflow.start('playbookRun', { taskQueue: TASK_QUEUE, workflowId, args: [] });
    started.add(workflowId);
    const result = await many({ playbookId: pb.id, accountIds: [taken, free], enrolledBy: 'test' });
    expect(result.enrolled.map((e) => e.accountId)).toEqual([free]);
    expect(result.skipped).toEqual([{ accountId: taken, code: 'already_running', reason: 'This playbook is already running for this account', runId: null }]);
    expect((await runsOf(pb.id)).map((r) => r.account_id)).toEqual([free]);
  });

  it('reports a start Temporal refuses as failed and removes its row', async () => {
    const pb = await insertPlaybook(dataSource);
    const ids = await accounts(3);
    // A task queue name Temporal rejects: every start fails on the server, one by one.
    const refused = { ...deps, taskQueue: '/_sys/cairn-refused' };
    const result = await many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test' }, refused);
    expect(result.enrolled).toEqual([]);
    expect(result.failed.map((f) => [f.accountId, f.code])).toEqual(ids.map((id) => [id, 'start_failed']));
    expect(result.failed[0].error).toBeInstanceOf(Error);
    expect(await runsOf(pb.id)).toEqual([]);
    expect(warnings.filter((w) => w.includes('failed; the run row was removed'))).toHaveLength(3);
    // Nothing was left running either: the same accounts enroll normally afterwards.
    expect((await many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test' })).enrolled).toHaveLength(3);
  });

  it('stops starting once Temporal cannot be reached: the rest are not tried, and no row is left', async () => {
    const pb = await insertPlaybook(dataSource);
    const ids = await accounts(20);
    const nowhere = Connection.lazy({ address: '127.0.0.1:1' });
    try {
      const down: EnrollmentDeps = { ...deps, temporal: new Client({ connection: nowhere }), temporalTimeoutMs: 2_000 };
      const result = await many({ playbookId: pb.id, accountIds: ids, enrolledBy: 'test', concurrency: 2 }, down);
      expect(result.enrolled).toEqual([]);
      expect(result.failed.map((f) => f.accountId)).toEqual(ids);
      expect(new Set(result.failed.map((f) => f.code))).toEqual(new Set(['temporal_unavailable']));
      // At most one start per lane was tried.
      expect(warnings.filter((w) => w.includes('failed; the run row was removed')).length).toBeLessThanOrEqual(2);
      expect(await runsOf(pb.id)).toEqual([]);
    } finally {
      await nowhere.close().catch(() => undefined);
    }
  });

  it('throws EnrollmentNotFoundError for an unknown playbook, and refuses more than 10,000 accounts', async () => {
    const ids = await accounts(1);
    await expect(enrollMany(deps, { playbookId: randomUUID(), accountIds: ids, enrolledBy: 'test' })).rejects.toBeInstanceOf(EnrollmentNotFoundError);
    await expect(enrollMany(deps, { playbookKey: 'no-such-playbook', accountIds: ids, enrolledBy: 'test' })).rejects.toMatchObject({ what: 'Playbook' });
    const tooMany = Array.from({ length: MAX_BULK_ENROLLMENT + 1 }, () => randomUUID());
    await expect(enrollMany(deps, { playbookKey: 'any', accountIds: tooMany, enrolledBy: 'test' })).rejects.toBeInstanceOf(RangeError);
  });
});
