// enrollAccount against real Postgres and the Temporal dev server. No worker polls the task
// queue: started workflows stay scheduled, which is all enrollment needs (they are terminated in
// afterAll).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createDataSource, migrate } from '@cairn/db';
import type { PlaybookDocumentInput } from '@cairn/playbook';
import { playbookRunWorkflowId } from '@cairn/workflows';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { type EnrollmentDeps, enrollAccount, EnrollmentNotFoundError } from '../src';
import { ensureSegments, eventually, insertAccount, insertPlaybook } from './fixtures';

const TASK_QUEUE = `enrollment-test-${Date.now()}`;

describe('enrollAccount', () => {
  let dataSource: DataSource;
  let connection: Connection;
  let deps: EnrollmentDeps;
  let segments: Record<string, string> = {};
  const started = new Set<string>();
  const warnings: string[] = [];

  beforeAll(async () => {
    dataSource = await createDataSource(process.env.DATABASE_URL).initialize();
    await migrate(dataSource);
    segments = await ensureSegments(dataSource);
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    deps = { dataSource, temporal: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }), taskQueue: TASK_QUEUE, warn: (message) => warnings.push(message) };
  });

  afterAll(async () => {
    for (const workflowId of started) await deps.temporal.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    await connection?.close();
    await dataSource?.destroy();
  });

  const account = (segment = 'smb') => insertAccount(dataSource, segments[segment], `Acme ${segment}`);
  const playbook = (extra: Partial<PlaybookDocumentInput> = {}, publish = true) => insertPlaybook(dataSource, extra, publish);

  async function enroll(req: Parameters<typeof enrollAccount>[1]) {
    const result = await enrollAccount(deps, req);
    if (result.status === 'enrolled') started.add(result.workflowId);
    return result;
  }

  it('enrolls: one run row, one workflow started on the latest version', async () => {
    const pb = await playbook();
    const accountId = await account();
    const result = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test', reason: 'kickoff' });
    expect(result).toMatchObject({ status: 'enrolled', workflowId: playbookRunWorkflowId(pb.key, accountId), version: 1 });
    if (result.status !== 'enrolled') throw new Error('not enrolled');
    const row = await eventually(async () => {
      const [found] = await dataSource.query(`SELECT status, workflow_id, temporal_run_id, enrolled_by, reason FROM runs WHERE id = $1`, [result.runId]);
      return found.temporal_run_id ? found : undefined;
    });
    expect(row).toEqual({ status: 'running', workflow_id: result.workflowId, temporal_run_id: result.run.temporalRunId, enrolled_by: 'test', reason: 'kickoff' });
    const description = await deps.temporal.workflow.getHandle(result.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo).toEqual({ runId: result.runId, playbookKey: pb.key, version: 1 });
  });

  it('finds the playbook by key too', async () => {
    const pb = await playbook();
    const result = await enroll({ accountId: await account(), playbookKey: pb.key, enrolledBy: 'test' });
    expect(result.status).toBe('enrolled');
  });

  it('skips a second enrollment while the first run is open', async () => {
    const pb = await playbook({ settings: { reentry: { policy: 'every_time' } } });
    const accountId = await account();
    const first = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    const second = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    expect(second).toEqual({ status: 'skipped', code: 'already_running', reason: 'This playbook is already running for this account', runId: first.runId });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM runs WHERE account_id = $1`, [accountId])).toEqual([{ n: 1 }]);
  });

  it('refuses a second run under "once" after the first ended, naming when', async () => {
    const pb = await playbook();
    const accountId = await account();
    const first = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    if (first.status !== 'enrolled') throw new Error('not enrolled');
    await deps.temporal.workflow.getHandle(first.workflowId).terminate('ended for the test');
    await dataSource.query(`UPDATE runs SET status = 'completed', ended_at = now() WHERE id = $1`, [first.runId]);
    const second = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    const day = first.run.startedAt.toISOString().slice(0, 10);
    expect(second).toEqual({ status: 'skipped', code: 'reentry', reason: `Re-entry policy "once": the account already ran this playbook (${day})`, runId: null });
  });

  it('starts again under "every_time" after the first run ended (same workflow id, new execution)', async () => {
    const pb = await playbook({ settings: { reentry: { policy: 'every_time' } } });
    const accountId = await account();
    const first = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    if (first.status !== 'enrolled') throw new Error('not enrolled');
    await deps.temporal.workflow.getHandle(first.workflowId).terminate('ended for the test');
    await dataSource.query(`UPDATE runs SET status = 'completed', ended_at = now() WHERE id = $1`, [first.runId]);
    const second = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    expect(second).toMatchObject({ status: 'enrolled', workflowId: first.workflowId });
    expect(second.runId).not.toBe(first.runId);
  });

  it('skips an account outside the audience', async () => {
    const pb = await playbook({ audience: { segments: ['enterprise'] } });
    const result = await enroll({ accountId: await account('smb'), playbookId: pb.id, enrolledBy: 'test' });
    expect(result).toEqual({ status: 'skipped', code: 'audience', reason: 'Audience: the playbook is for segment "enterprise"; the account is in "smb"', runId: null });
    expect((await enroll({ accountId: await account('enterprise'), playbookId: pb.id, enrolledBy: 'test' })).status).toBe('enrolled');
  });

  it('skips a playbook never published', async () => {
    const pb = await playbook({}, false);
    const result = await enroll({ accountId: await account(), playbookId: pb.id, enrolledBy: 'test' });
    expect(result).toMatchObject({ status: 'skipped', code: 'no_version', runId: null });
  });

  it('delivers the event to the open run instead of starting another (signal-with-start)', async () => {
    const pb = await playbook();
    const accountId = await account();
    const first = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    if (first.status !== 'enrolled') throw new Error('not enrolled');
    const event = { eventId: randomUUID(), type: 'product.sso_configured', data: { by: 'admin' }, occurredAt: new Date().toISOString() };
    const result = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'event', withEvent: event });
    expect(result).toMatchObject({ status: 'skipped', code: 'delivered_to_running', runId: first.runId });
    const history = await deps.temporal.workflow.getHandle(first.workflowId).fetchHistory();
    const signals = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes).filter((s) => s != null);
    expect(signals.map((s) => s.signalName)).toEqual(['accountEvent']);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM runs WHERE account_id = $1`, [accountId])).toEqual([{ n: 1 }]);
  });

  it('delivers to a run Temporal still has open while its row has ended: the row it inserted is removed', async () => {
    const pb = await playbook({ settings: { reentry: { policy: 'every_time' } } });
    const accountId = await account();
    const first = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' });
    if (first.status !== 'enrolled') throw new Error('not enrolled');
    await dataSource.query(`UPDATE runs SET status = 'completed', ended_at = now() WHERE id = $1`, [first.runId]);
    const event = { eventId: randomUUID(), type: 'product.login', data: {}, occurredAt: new Date().toISOString() };
    const result = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'event', withEvent: event });
    expect(result).toMatchObject({ status: 'skipped', code: 'delivered_to_running', runId: first.runId });
    expect(await dataSource.query(`SELECT id FROM runs WHERE account_id = $1`, [accountId])).toEqual([{ id: first.runId }]);
  });

  it('starts with the event when no run is open', async () => {
    const pb = await playbook();
    const accountId = await account();
    const event = { eventId: randomUUID(), type: 'product.signup', data: {}, occurredAt: new Date().toISOString() };
    const result = await enroll({ accountId, playbookId: pb.id, enrolledBy: 'event', withEvent: event });
    if (result.status !== 'enrolled') throw new Error(`not enrolled: ${JSON.stringify(result)}`);
    const history = await deps.temporal.workflow.getHandle(result.workflowId).fetchHistory();
    const names = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
    expect(names).toEqual(['accountEvent']);
    const row = await eventually(async () => {
      const [found] = await dataSource.query(`SELECT temporal_run_id FROM runs WHERE id = $1`, [result.runId]);
      return found.temporal_run_id ? found : undefined;
    });
    expect(row.temporal_run_id).toBe(result.run.temporalRunId);
  });

  it('starts on a version published after the cached one (the statement reads the latest number)', async () => {
    const pb = await playbook();
    const first = await enroll({ accountId: await account(), playbookId: pb.id, enrolledBy: 'test' });
    expect(first).toMatchObject({ status: 'enrolled', version: 1 });
    const [v1] = await dataSource.query(`SELECT document, plan FROM playbook_versions WHERE playbook_id = $1`, [pb.id]);
    const [v2] = await dataSource.query(`INSERT INTO playbook_versions (playbook_id, version, hash, document, plan) VALUES ($1, 2, 'second', $2, $3) RETURNING id`, [pb.id, v1.document, v1.plan]);
    const second = await enroll({ accountId: await account(), playbookKey: pb.key, enrolledBy: 'test' });
    if (second.status !== 'enrolled') throw new Error(`not enrolled: ${JSON.stringify(second)}`);
    expect(second).toMatchObject({ version: 2, run: { playbookVersionId: v2.id, planHash: 'second' } });
    expect(await dataSource.query(`SELECT playbook_version_id FROM runs WHERE id = $1`, [second.runId])).toEqual([{ playbook_version_id: v2.id }]);
  });

  it('with the version cached, still leaves no row for an account outside the audience or one that already ran', async () => {
    const pb = await playbook({ audience: { segments: ['enterprise'] } });
    const enterprise = await account('enterprise');
    expect((await enroll({ accountId: enterprise, playbookId: pb.id, enrolledBy: 'test' })).status).toBe('enrolled');
    const smb = await account('smb');
    expect(await enroll({ accountId: smb, playbookId: pb.id, enrolledBy: 'test' })).toMatchObject({ status: 'skipped', code: 'audience' });
    expect(await enroll({ accountId: enterprise, playbookId: pb.id, enrolledBy: 'test' })).toMatchObject({ status: 'skipped', code: 'already_running' });
    expect(await dataSource.query(`SELECT account_id FROM runs WHERE playbook_id = $1`, [pb.id])).toEqual([{ account_id: enterprise }]);
  });

  it('lets one of two simultaneous enrollments of an account through; the other is told which run is open', async () => {
    const pb = await playbook({ settings: { reentry: { policy: 'every_time' } } });
    await enroll({ accountId: await account(), playbookId: pb.id, enrolledBy: 'test' }); // caches the version
    const accountId = await account();
    const results = await Promise.all([1, 2, 3].map(() => enroll({ accountId, playbookId: pb.id, enrolledBy: 'test' })));
    const enrolled = results.filter((r) => r.status === 'enrolled');
    expect(enrolled).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'skipped')) expect(r).toMatchObject({ code: 'already_running', runId: enrolled[0]?.runId });
    expect(await dataSource.query(`SELECT id FROM runs WHERE account_id = $1`, [accountId])).toEqual([{ id: enrolled[0]?.runId }]);
  });

  it('throws EnrollmentNotFoundError for an unknown account or playbook', async () => {
    const pb = await playbook();
    const missing = randomUUID();
    await expect(enrollAccount(deps, { accountId: missing, playbookId: pb.id, enrolledBy: 'test' })).rejects.toMatchObject({ name: 'EnrollmentNotFoundError', what: 'Account', id: missing });
    await expect(enrollAccount(deps, { accountId: await account(), playbookKey: 'no-such-playbook', enrolledBy: 'test' })).rejects.toBeInstanceOf(EnrollmentNotFoundError);
    await expect(enrollAccount(deps, { accountId: 'not-a-uuid', playbookId: pb.id, enrolledBy: 'test' })).rejects.toMatchObject({ what: 'Account' });
  });
});
