// @ts-check
// Benchmark (issue 4a): enroll 1,000 accounts into a one-wait playbook through Cairn's API, one
// request per account and in bulk (one request of 1,000, and four requests of 250 one after the
// other), against the baseline of starting 1,000 trivial workflows with the raw Temporal client,
// in the same run, on a local Temporal dev server and embedded Postgres started for the occasion.
// Each path enrolls accounts of its own. Run: npx nx run api:bench
// (BENCH_ACCOUNTS, BENCH_CONCURRENCY for requests and raw starts in flight, BENCH_BATCH for the bulk batch size)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import globalSetup from '../../../infra/testing/global-setup.mjs';
import globalTeardown from '../../../infra/testing/global-teardown.mjs';
import { benchEnv, signedInPost } from './sign-in.mjs';

const require = createRequire(import.meta.url);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 250);
const BULK_CONCURRENCY = Number(process.env.CAIRN_ENROLL_CONCURRENCY ?? 64);

/**
 * CPU time (ms) used so far by this process (client and API), the local Temporal dev server, the
 * local Postgres (postmaster and its children, including those that exited: pooled connections
 * close when idle), and the whole machine, read from /proc; null where /proc is missing.
 */
function cpuMs() {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const temporalPort = `--port\0${new URL(`http://${process.env.TEMPORAL_ADDRESS}`).port}\0`;
  const pgPort = `-p\0${new URL(process.env.DATABASE_URL ?? 'postgres://x').port}\0`;
  const tick = (n) => (Number(n) * 1000) / 100; // USER_HZ
  const procs = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(pid), ppid: Number(fields[1]), ms: tick(fields[11]) + tick(fields[12]), reaped: tick(fields[13]) + tick(fields[14]), cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') });
    } catch {
      // gone meanwhile
    }
  }
  const master = procs.find((p) => p.cmd.includes('postgres') && p.cmd.includes(pgPort));
  const sum = (test) => procs.filter(test).reduce((total, p) => total + p.ms, 0);
  // Busy time of every core: user, nice, system, irq, softirq, steal.
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return {
    node: sum((p) => p.pid === process.pid),
    temporal: sum((p) => p.cmd.includes('start-dev') && p.cmd.includes(temporalPort)),
    postgres: master ? master.reaped + sum((p) => p.pid === master.pid || p.ppid === master.pid) : 0,
    machine: tick(cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]),
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns elapsed ms. */
async function timed(n, task, concurrency = CONCURRENCY) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return performance.now() - start;
}

/** Runs `task` once; returns elapsed ms. */
async function timedOnce(task) {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

const loadBefore = os.loadavg();
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
  // Accounts of their own for each Cairn path, so none finds runs of another.
  const accountIds = (await ds.query(
    `INSERT INTO accounts (name, domain, segment_id) SELECT 'Bench ' || n, 'bench-' || n || '.example', $1 FROM generate_series(1, $2) n RETURNING id`,
    [segmentId, ACCOUNTS * 3],
  )).map((row) => row.id);
  const singleAccounts = accountIds.slice(0, ACCOUNTS);
  const bulkAccounts = accountIds.slice(ACCOUNTS, ACCOUNTS * 2);
  const batchedAccounts = accountIds.slice(ACCOUNTS * 2);
  await ds.destroy();

  const env = { ...process.env, TEMPORAL_TASK_QUEUE: 'cairn-bench', CAIRN_ENROLL_CONCURRENCY: String(BULK_CONCURRENCY) };
  const app = await createApp(loadConfig(benchEnv(env)), { quiet: true });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}/api`;
  const post = await signedInPost(base, 'ops');
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

  /** Enrolls `ids` with bulk requests of `size` accounts, one request after the other. */
  const bulk = async (ids, size) => {
    for (let i = 0; i < ids.length; i += size) {
      const report = await post(`/playbooks/${playbook.id}/enrollments/bulk`, { accountIds: ids.slice(i, i + size), reason: 'bench' });
      if (report.counts.enrolled !== Math.min(size, ids.length - i)) throw new Error(`bulk enrollment left accounts out: ${JSON.stringify(report.counts)}`);
    }
  };
  const rate = (ms) => (ACCOUNTS / ms) * 1000;
  const batches = Math.ceil(ACCOUNTS / BATCH);
  const phases = [
    { name: 'raw Temporal client: `workflow.start` of a trivial workflow', short: 'raw', run: () => timed(ACCOUNTS, (i) => client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: `raw-${i}`, args: [] })) },
    // The bulk path keeps more starts in flight: the baseline at the same width, for comparison.
    { name: `raw Temporal client, ${BULK_CONCURRENCY} in flight (the bulk path's width)`, short: `raw ${BULK_CONCURRENCY} in flight`, run: () => timed(ACCOUNTS, (i) => client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: `raw-wide-${i}`, args: [] }), BULK_CONCURRENCY) },
    { name: 'Cairn, one request per account: `POST …/enrollments` (authenticate, validate, insert run, start, store run id, audit)', short: 'single', run: () => timed(ACCOUNTS, (i) => post(`/playbooks/${playbook.id}/enrollments`, { accountId: singleAccounts[i] })) },
    { name: `Cairn bulk, 1 request of ${ACCOUNTS}: \`POST …/enrollments/bulk\``, short: 'bulk 1 request', run: () => timedOnce(() => bulk(bulkAccounts, ACCOUNTS)) },
    { name: `Cairn bulk, ${batches} requests of ${BATCH} one after the other`, short: `bulk ${batches} × ${BATCH}`, run: () => timedOnce(() => bulk(batchedAccounts, BATCH)) },
    // The same baseline again at the end: how much the server slowed as it filled up.
    { name: 'raw Temporal client again, after the others', short: 'raw again', run: () => timed(ACCOUNTS, (i) => client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: `raw-again-${i}`, args: [] })) },
  ];
  const results = [];
  for (const phase of phases) {
    const before = cpuMs();
    const ms = await phase.run();
    const after = cpuMs();
    results.push({ ...phase, ms, cpu: before && after ? Object.fromEntries(Object.keys(before).map((k) => [k, (after[k] - before[k]) / ACCOUNTS])) : null });
  }

  const raw = results[0];
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; ${ACCOUNTS} starts per path; ${CONCURRENCY} raw starts or requests in flight; bulk: ${BULK_CONCURRENCY} starts in flight\n`);
  console.log('| path | total (s) | starts per second | ratio to raw |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of results) console.log(`| ${r.name} | ${(r.ms / 1000).toFixed(2)} | ${rate(r.ms).toFixed(0)} | ${(rate(r.ms) / rate(raw.ms)).toFixed(2)} |`);
  if (results.every((r) => r.cpu)) {
    // CPU per start: the ratio can be no better than the raw path's CPU over Cairn's when the cores
    // are saturated. "other" is what the rest of the machine used meanwhile (noise when not ~0).
    console.log('\nCPU per start (ms):\n\n| path | node (client + API) | Temporal | Postgres | total | other processes |\n| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const { short, cpu: c } of results) {
      const total = c.node + c.temporal + c.postgres;
      console.log(`| ${short} | ${c.node.toFixed(2)} | ${c.temporal.toFixed(2)} | ${c.postgres.toFixed(2)} | ${total.toFixed(2)} | ${Math.max(0, c.machine - total).toFixed(2)} |`);
    }
    const other = results.reduce((t, r) => t + Math.max(0, r.cpu.machine - r.cpu.node - r.cpu.temporal - r.cpu.postgres) * ACCOUNTS, 0);
    const elapsed = results.reduce((t, r) => t + r.ms, 0);
    console.log(`\nother processes used ${((other / (elapsed * os.cpus().length)) * 100).toFixed(1)}% of the cores during the measurements`);
  }

  await app.close();
  await client.connection.close();
} finally {
  await globalTeardown();
}
