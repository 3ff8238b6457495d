import { accountSchema, playbookSchema, publishResponseSchema, runSummarySchema, pageSchema } from '@cairn/contracts';
import { localDate } from '@cairn/playbook';
import { ACCOUNT_DATE_TRIGGERS_WORKFLOW, playbookScheduleId, type TriggerEnrollmentSummary } from '@cairn/workflows';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { DEMO_EMAIL, signIn, testEnv } from './support/auth';
import { type SeededDatabase, seededDatabase } from './support/database';

// The built worker, in this process: its real activities enroll through @cairn/enrollment.
const { createWorker } = require(join(__dirname, '../../worker/dist/worker')) as typeof import('../../worker/src/worker');
const { createEnrollMany } = require(join(__dirname, '../../worker/dist/enrollment')) as typeof import('../../worker/src/enrollment');

const DAY = 86_400_000;

/**
 * Playbooks that start on their own: a schedule (its Temporal Schedule fires and enrolls the
 * audience) and an account date (the account-date pass enrolls the accounts whose day has come,
 * saying why). Real Postgres, the real Temporal dev server, the worker's real activities.
 */
describe('triggers: schedules and account dates', () => {
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const taskQueue = `cairn-api-triggers-${stamp}`;

  let db: SeededDatabase;
  let ds: DataSource;
  let app: INestApplication;
  let base: string;
  let token = '';
  let client: Client;
  let native: NativeConnection;
  let worker: Worker;
  let workerDone: Promise<void>;
  let accounts: Array<z.infer<typeof accountSchema>>;

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }
  async function publish(key: string, trigger: Record<string, unknown>, audience: string[] = []) {
    const document = {
      schemaVersion: 2,
      key,
      name: key,
      audience: { segments: audience },
      settings: { reentry: { policy: 'once' }, exitWhen: [] },
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: trigger },
        { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: '30 days' } },
        { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'wait' },
        { id: 'e2', source: 'wait', target: 'done' },
      ],
    };
    const created = playbookSchema.parse((await call('POST', '/playbooks', { document })).body);
    const published = await call('POST', `/playbooks/${created.id}/publish`, {});
    expect(published.status).toBe(201);
    return { id: created.id, published: publishResponseSchema.parse(published.body) };
  }
  const runsOf = async (playbookId: string) => pageSchema(runSummarySchema).parse((await call('GET', `/runs?playbookId=${playbookId}`)).body).items;
  async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    db = await seededDatabase('triggers');
    ds = db.ds;
    client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const mailer = { send: async () => ({ messageId: 'unused' }), close: () => undefined };
    worker = await createWorker({ connection: native, namespace: 'default', taskQueue, deps: { dataSource: ds, mailer, enrollMany: createEnrollMany({ dataSource: ds, temporal: client, taskQueue }) } });
    workerDone = worker.run();
    app = await createApp(loadConfig(testEnv({ ...process.env, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: taskQueue, CAIRN_SEGMENT_SWEEP_MINUTES: '0' })), { quiet: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    token = (await signIn(base, DEMO_EMAIL.ops)).accessToken;
    accounts = pageSchema(accountSchema).parse((await call('GET', '/accounts?limit=200')).body).items;
  });

  afterAll(async () => {
    await app?.close();
    if (worker) {
      worker.shutdown();
      await workerDone;
    }
    await native?.close();
    await client?.connection.close();
    await db?.drop();
  });

  it('enrolls a schedule-triggered playbook’s audience when its schedule fires, and nobody twice', async () => {
    const { id, published } = await publish('weekly-high-touch', { on: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' }, ['high-touch']);
    expect(published.schedule).toBe('created');
    const audience = accounts.filter((a) => a.segment.key === 'high-touch').map((a) => a.id).sort();
    expect(audience.length).toBeGreaterThan(0);

    await client.schedule.getHandle(playbookScheduleId('weekly-high-touch')).trigger();
    const runs = await eventually('the audience enrolled', async () => {
      const found = await runsOf(id);
      return found.length === audience.length ? found : undefined;
    });
    expect(runs.map((r) => r.accountId).sort()).toEqual(audience);
    for (const run of runs) expect(run).toMatchObject({ enrolledBy: 'schedule', reason: expect.stringMatching(/^Scheduled: 0 9 \* \* 1 \(Europe\/Berlin\), tick at /) });

    // The next tick finds them running: nobody is enrolled twice. (A second apart: a tick's workflow id carries the second it fired.)
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const schedule = client.schedule.getHandle(playbookScheduleId('weekly-high-touch'));
    await schedule.trigger();
    const ticks = await eventually('two ticks done', async () => {
      const actions = (await schedule.describe()).info.recentActions;
      if (actions.length < 2) return undefined;
      const results = await Promise.all(actions.map((a) => client.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId).result() as Promise<TriggerEnrollmentSummary>));
      return results;
    });
    expect(ticks.map((t) => t.enrolled)).toEqual([audience.length, 0]);
    expect(ticks[1]).toMatchObject({ considered: audience.length, skipped: audience.length });
    expect(await runsOf(id)).toHaveLength(audience.length);
  });

  it('enrolls the accounts whose trigger date has come, saying which date it was', async () => {
    const [due, later] = accounts;
    const today = Date.now();
    const renewal = (days: number) => localDate(today + days * DAY, 'UTC');
    expect((await call('PATCH', `/accounts/${due.id}`, { timezone: 'UTC', attributes: { renewal_date: renewal(120) } })).status).toBe(200);
    expect((await call('PATCH', `/accounts/${later.id}`, { timezone: 'UTC', attributes: { renewal_date: renewal(200) } })).status).toBe(200);
    const { id } = await publish('renewal-window', { on: 'account_date', field: 'renewal_date', offsetDays: -120 });

    const pass = await client.workflow.execute(ACCOUNT_DATE_TRIGGERS_WORKFLOW, { taskQueue, workflowId: `account-date-pass-${stamp}`, args: [] });
    expect(pass).toEqual(expect.arrayContaining([{ playbookKey: 'renewal-window', considered: 1, enrolled: 1, skipped: 0, failed: 0 }]));
    const runs = await runsOf(id);
    expect(runs).toEqual([expect.objectContaining({ accountId: due.id, enrolledBy: 'account_date', reason: `renewal_date − 120 days = ${localDate(today, 'UTC')}` })]);

    // The next pass (an hour later) finds it enrolled: its re-entry policy says once.
    const again = await client.workflow.execute(ACCOUNT_DATE_TRIGGERS_WORKFLOW, { taskQueue, workflowId: `account-date-pass-2-${stamp}`, args: [] });
    expect(again).toEqual(expect.arrayContaining([expect.objectContaining({ playbookKey: 'renewal-window', enrolled: 0, skipped: 1 })]));
  });
});
