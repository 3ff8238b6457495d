// @ts-check
// Benchmark (issue 4a): enroll 1,000 accounts into a one-wait playbook through Cairn's API, against
// the baseline of starting 1,000 trivial workflows with the raw Temporal client, in the same run,
// on a local Temporal dev server and embedded Postgres started for the occasion.
// Run: npx nx run api:bench   (BENCH_ACCOUNTS, BENCH_CONCURRENCY to change the load)
import { createRequire } from 'node:module';
import os from 'node:os';
import globalSetup from '../../../infra/testing/global-setup.mjs';
import globalTeardown from '../../../infra/testing/global-teardown.mjs';

const require = createRequire(import.meta.url);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

/** Runs `task(i)` for i in [0, n) with at most CONCURRENCY in flight; returns elapsed ms. */
async function timed(n, task) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return performance.now() - start;
}

await globalSetup(null, { globals: { cairnServices: ['postgres', 'temporal'] } });
try {
  require('reflect-metadata');
  const { createDataSource, migrate } = require('@cairn/db');
  const { createApp } = require('../dist/app.js');
  const { loadConfig } = require('../dist/config.js');
  const { seedDemoWorkspace } = require('../dist/seed/seed.js');
  const { Client, Connection } = require('@temporalio/client');

  const ds = await createDataSource(process.env.DATABASE_URL).initialize();
  await migrate(ds);
  await seedDemoWorkspace(ds);
  const [{ id: segmentId }] = await ds.query(`SELECT id FROM segments ORDER BY key LIMIT 1`);
  const accounts = await ds.query(
    `INSERT INTO accounts (name, domain, segment_id) SELECT 'Bench ' || n, 'bench-' || n || '.example', $1 FROM generate_series(1, $2) n RETURNING id`,
    [segmentId, ACCOUNTS],
  );
  await ds.destroy();

  const env = { ...process.env, TEMPORAL_TASK_QUEUE: 'cairn-bench' };
  const app = await createApp(loadConfig(env), { quiet: true });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}/api`;
  const post = async (path, body) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const document = {
    schemaVersion: 2,
    key: 'bench-one-wait',
    name: 'One wait',
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
  const playbook = await post('/playbooks', { document });
  await post(`/playbooks/${playbook.id}/publish`, {});

  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });
  // Warm both paths so connection set-up is not measured.
  await client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: 'warm-up', args: [] });

  const rawMs = await timed(ACCOUNTS, (i) => client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: `raw-${i}`, args: [] }));
  const cairnMs = await timed(ACCOUNTS, (i) => post(`/playbooks/${playbook.id}/enrollments`, { accountId: accounts[i].id }));

  const rate = (ms) => (ACCOUNTS / ms) * 1000;
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}; ${ACCOUNTS} starts, ${CONCURRENCY} in flight\n`);
  console.log('| path | total (s) | starts per second |');
  console.log('| --- | ---: | ---: |');
  console.log(`| raw Temporal client: \`workflow.start\` of a trivial workflow | ${(rawMs / 1000).toFixed(2)} | ${rate(rawMs).toFixed(0)} |`);
  console.log(`| Cairn: \`POST /api/playbooks/:id/enrollments\` (validate, insert run, start, store run id) | ${(cairnMs / 1000).toFixed(2)} | ${rate(cairnMs).toFixed(0)} |`);
  console.log(`\nratio Cairn / raw: ${(rate(cairnMs) / rate(rawMs)).toFixed(2)}`);

  await app.close();
  await client.connection.close();
} finally {
  await globalTeardown();
}
