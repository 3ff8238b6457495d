// @ts-check
// Benchmark (issue 4b): end-to-end time of a 20-step playbook of activities run by Cairn's
// generic interpreter, against a hand-written Temporal workflow calling the same activity 20
// times, in the same run, on a local Temporal dev server and embedded Postgres, with the real
// worker activities. Run: npx nx run worker:bench   (BENCH_RUNS, BENCH_STEPS, BENCH_CONCURRENCY)
import { createRequire } from 'node:module';
import os from 'node:os';
import globalSetup from '../../../infra/testing/global-setup.mjs';
import globalTeardown from '../../../infra/testing/global-teardown.mjs';

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const STEPS = Number(process.env.BENCH_STEPS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

await globalSetup(null, { globals: { cairnServices: ['postgres', 'temporal'] } });
try {
  require('reflect-metadata');
  const { createDataSource, migrate } = require('@cairn/db');
  const { compilePlaybook } = require('@cairn/playbook');
  const { PLAYBOOK_RUN_WORKFLOW } = require('@cairn/workflows');
  const { Client, Connection } = require('@temporalio/client');
  const { DefaultLogger, NativeConnection, Runtime, Worker } = require('@temporalio/worker');
  const { createWorker } = require('../dist/worker.js');
  const { createActivities } = require('../dist/activities/index.js');
  Runtime.install({ logger: new DefaultLogger('WARN') });

  const ds = await createDataSource(process.env.DATABASE_URL).initialize();
  await migrate(ds);
  const nodes = [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } }];
  const edges = [];
  for (let i = 0; i < STEPS; i++) {
    nodes.push({ id: `step-${i}`, type: 'update_account', position: { x: 0, y: 100 * (i + 1) }, data: { set: 'attribute', attribute: `step_${i}`, value: i } });
    edges.push({ id: `e${i}`, source: i === 0 ? 'start' : `step-${i - 1}`, target: `step-${i}` });
  }
  nodes.push({ id: 'done', type: 'end', position: { x: 0, y: 100 * (STEPS + 1) }, data: {} });
  edges.push({ id: 'e-end', source: `step-${STEPS - 1}`, target: 'done' });
  const document = { schemaVersion: 2, key: 'bench-steps', name: `${STEPS} steps`, nodes, edges };
  const compiled = compilePlaybook(document);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const plan = compiled.plan;

  const [{ id: segmentId }] = await ds.query(`INSERT INTO segments (key, name, touch_model) VALUES ('bench', 'Bench', 'tech') RETURNING id`);
  const [{ id: playbookId }] = await ds.query(`INSERT INTO playbooks (key, name, kind, draft) VALUES ('bench-steps', 'Bench', 'custom', $1) RETURNING id`, [document]);
  const [{ id: playbookVersionId }] = await ds.query(`INSERT INTO playbook_versions (playbook_id, version, hash, document, plan) VALUES ($1, 1, $2, $3, $4) RETURNING id`, [playbookId, plan.hash, document, plan]);
  /** A running run on an account of its own (one running run per playbook and account), outside the timed part. */
  const newRun = async (i, path) => {
    const [{ id: accountId }] = await ds.query(`INSERT INTO accounts (name, domain, segment_id) VALUES ($1, $2, $3) RETURNING id`, [`Bench ${path} ${i}`, `${path}-${i}.bench.example`, segmentId]);
    const [{ id }] = await ds.query(`INSERT INTO runs (workflow_id, playbook_id, playbook_version_id, account_id, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id`, [`${path}-${i}`, playbookId, playbookVersionId, accountId]);
    return { runId: id, accountId };
  };

  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const mailer = { send: async () => ({ messageId: 'unused' }), close: () => {} };
  const deps = { dataSource: ds, mailer };
  const cairnWorker = await createWorker({ connection, namespace: 'default', taskQueue: 'bench-cairn', deps });
  const rawWorker = await Worker.create({ connection, taskQueue: 'bench-raw', workflowsPath: new URL('./hand-written.workflow.js', import.meta.url).pathname, activities: createActivities(deps) });
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });

  const cairnRun = async (i) => {
    const { runId, accountId } = await newRun(i, 'cairn');
    const started = performance.now();
    await client.workflow.execute(PLAYBOOK_RUN_WORKFLOW, { taskQueue: 'bench-cairn', workflowId: `cairn-${i}`, args: [{ runId, playbookVersionId, accountId, plan }] });
    return performance.now() - started;
  };
  const rawRun = async (i) => {
    const { runId, accountId } = await newRun(i, 'raw');
    const started = performance.now();
    await client.workflow.execute('handWritten', { taskQueue: 'bench-raw', workflowId: `raw-${i}`, args: [{ runId, accountId, playbookVersionId, steps: STEPS }] });
    return performance.now() - started;
  };
  /** One run after another, then CONCURRENCY at a time; per-run end-to-end times. */
  const measure = async (run, offset) => {
    const sequential = [];
    for (let i = 0; i < RUNS; i++) sequential.push(await run(offset + i));
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < RUNS) await run(offset + RUNS + next++); }));
    return { sequential, concurrentMs: performance.now() - started };
  };

  const result = await Promise.all([cairnWorker.runUntil(async () => rawWorker.runUntil(async () => {
    await rawRun(-1);
    await cairnRun(-1);
    const raw = await measure(rawRun, 0);
    const cairn = await measure(cairnRun, 10_000);
    return { raw, cairn };
  }))]);
  const { raw, cairn } = result[0];
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}; ${STEPS} activity steps, ${RUNS} runs one after another, then ${RUNS} with ${CONCURRENCY} in flight\n`);
  console.log('| path | median (ms) | p90 (ms) | ' + `${RUNS} runs, ${CONCURRENCY} in flight (s) |`);
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| hand-written workflow: ${STEPS} × \`updateAccount\` | ${median(raw.sequential).toFixed(0)} | ${pct(raw.sequential, 90).toFixed(0)} | ${(raw.concurrentMs / 1000).toFixed(2)} |`);
  console.log(`| Cairn: ${STEPS} \`update_account\` steps (step history, account facts) | ${median(cairn.sequential).toFixed(0)} | ${pct(cairn.sequential, 90).toFixed(0)} | ${(cairn.concurrentMs / 1000).toFixed(2)} |`);
  console.log(`\nratio Cairn / hand-written, median end-to-end: ${(median(cairn.sequential) / median(raw.sequential)).toFixed(2)}; under load: ${(cairn.concurrentMs / raw.concurrentMs).toFixed(2)}`);
  await client.connection.close();
  await connection.close();
  await ds.destroy();
} finally {
  await globalTeardown();
}
