// @ts-check
// Benchmark (issue 4c): from an event ingested by `POST /api/events` until the next step of the
// run waiting for it starts (its `run_steps.started_at`, the workflow time of that step), p50 and
// p99, against the baseline of a raw Temporal signal to a hand-written workflow waiting for it, in
// the same run, on a local Temporal dev server and embedded Postgres with the real worker.
// Run: npx nx run api:bench-events   (BENCH_EVENTS to change the count)
import { createRequire } from 'node:module';
import os from 'node:os';
import globalSetup from '../../../infra/testing/global-setup.mjs';
import globalTeardown from '../../../infra/testing/global-teardown.mjs';
import { benchEnv, signedInPost } from './sign-in.mjs';

const require = createRequire(import.meta.url);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await globalSetup(null, { globals: { cairnServices: ['postgres', 'temporal'] } });
try {
  require('reflect-metadata');
  const { createDataSource, migrate } = require('@cairn/db');
  const { createApp } = require('../dist/app.js');
  const { loadConfig } = require('../dist/config.js');
  const { seedDemoWorkspace } = require('../dist/seed/seed.js');
  const { Client, Connection } = require('@temporalio/client');
  const { DefaultLogger, NativeConnection, Runtime, Worker } = require('@temporalio/worker');
  const { createWorker } = require('../../worker/dist/worker.js');
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const ds = await createDataSource(process.env.DATABASE_URL).initialize();
  await migrate(ds);
  await seedDemoWorkspace(ds);
  const [{ id: segmentId }] = await ds.query(`SELECT id FROM segments ORDER BY key LIMIT 1`);
  const accounts = await ds.query(`INSERT INTO accounts (name, domain, segment_id) SELECT 'Bench ' || n, 'bench-' || n || '.example', $1 FROM generate_series(1, $2) n RETURNING id`, [segmentId, EVENTS]);

  const taskQueue = 'cairn-bench-events';
  const app = await createApp(loadConfig(benchEnv({ ...process.env, TEMPORAL_TASK_QUEUE: taskQueue })), { quiet: true });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}/api`;
  const post = await signedInPost(base, 'ops');
  const document = {
    schemaVersion: 2,
    key: 'bench-wait-for-event',
    name: 'Wait for an event',
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'ping', type: 'wait_for', position: { x: 0, y: 100 }, data: { for: 'event', event: { type: 'product.ping' }, timeout: '30 days' } },
      { id: 'mark', type: 'update_account', position: { x: 0, y: 200 }, data: { set: 'attribute', attribute: 'pinged', value: true } },
      { id: 'done', type: 'end', position: { x: 0, y: 300 }, data: {} },
      { id: 'late', type: 'end', position: { x: 0, y: 400 }, data: { outcome: 'exited' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ping' },
      { id: 'e2', source: 'ping', target: 'mark', sourceHandle: 'received' },
      { id: 'e3', source: 'ping', target: 'late', sourceHandle: 'timed_out' },
      { id: 'e4', source: 'mark', target: 'done' },
    ],
  };
  // Publishing checks update_account writes against the account field schema.
  await post('/account-fields', { key: 'pinged', label: 'Pinged', type: 'boolean' });
  const playbook = await post('/playbooks', { document });
  await post(`/playbooks/${playbook.id}/publish`, {});

  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const mailer = { send: async () => ({ messageId: 'unused' }), close: () => {} };
  const cairnWorker = await createWorker({ connection, namespace: 'default', taskQueue, deps: { dataSource: ds, mailer } });
  const rawWorker = await Worker.create({ connection, taskQueue: 'bench-ping', workflowsPath: new URL('./ping.workflow.js', import.meta.url).pathname, activities: {} });
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });

  const { cairn, raw } = await cairnWorker.runUntil(() =>
    rawWorker.runUntil(async () => {
      const runs = [];
      for (const account of accounts) runs.push({ accountId: account.id, runId: (await post(`/playbooks/${playbook.id}/enrollments`, { accountId: account.id })).id });
      // Every run waits for its event before the clock starts.
      for (;;) {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM run_steps WHERE node_id = 'ping' AND status = 'waiting'`);
        if (n === runs.length) break;
        await sleep(50);
      }
      const cairn = [];
      for (const run of runs) {
        const sentAt = Date.now();
        await post('/events', { accountId: run.accountId, type: 'product.ping', data: { n: cairn.length } });
        for (;;) {
          const rows = await ds.query(`SELECT started_at FROM run_steps WHERE run_id = $1 AND node_id = 'mark'`, [run.runId]);
          if (rows.length) {
            cairn.push(rows[0].started_at.getTime() - sentAt);
            break;
          }
          await sleep(2);
        }
      }
      const raw = [];
      for (let i = 0; i < EVENTS; i++) {
        const handle = await client.workflow.start('waitForPing', { taskQueue: 'bench-ping', workflowId: `ping-${i}`, args: [] });
        await sleep(5);
        const sentAt = Date.now();
        await handle.signal('ping');
        raw.push((await handle.result()) - sentAt);
      }
      return { cairn, raw };
    }),
  );
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}; ${EVENTS} events, one at a time\n`);
  console.log('| path | p50 (ms) | p99 (ms) | max (ms) |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| raw Temporal client: \`signal\` → the waiting workflow sees it | ${pct(raw, 50)} | ${pct(raw, 99)} | ${Math.max(...raw)} |`);
  console.log(`| Cairn: \`POST /api/events\` → stored, routed, signalled → next step starts | ${pct(cairn, 50)} | ${pct(cairn, 99)} | ${Math.max(...cairn)} |`);
  await app.close();
  await client.connection.close();
  await connection.close();
  await ds.destroy();
} finally {
  await globalTeardown();
}
