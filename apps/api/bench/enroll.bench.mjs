// @ts-check
// Benchmark (issue 4a): enroll 1,000 accounts into a one-wait playbook through Cairn's API, against
// the baseline of starting 1,000 trivial workflows with the raw Temporal client, in the same run,
// on a local Temporal dev server and embedded Postgres started for the occasion.
// Run: npx nx run api:bench   (BENCH_ACCOUNTS, BENCH_CONCURRENCY to change the load)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import globalSetup from '../../../infra/testing/global-setup.mjs';
import globalTeardown from '../../../infra/testing/global-teardown.mjs';
import { benchEnv, signedInPost } from './sign-in.mjs';

const require = createRequire(import.meta.url);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

/**
 * CPU time (ms) used so far by this process (client and API), the local Temporal dev server and
 * the local Postgres (postmaster and its children), read from /proc; null where /proc is missing.
 */
function cpuMs() {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const temporalPort = `--port\0${new URL(`http://${process.env.TEMPORAL_ADDRESS}`).port}\0`;
  const pgPort = `-p\0${new URL(process.env.DATABASE_URL ?? 'postgres://x').port}\0`;
  const procs = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(pid), ppid: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100, cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') });
    } catch {
      // gone meanwhile
    }
  }
  const master = procs.find((p) => p.cmd.includes('postgres') && p.cmd.includes(pgPort));
  const sum = (test) => procs.filter(test).reduce((total, p) => total + p.ms, 0);
  return {
    node: sum((p) => p.pid === process.pid),
    temporal: sum((p) => p.cmd.includes('start-dev') && p.cmd.includes(temporalPort)),
    postgres: master ? sum((p) => p.pid === master.pid || p.ppid === master.pid) : 0,
  };
}

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

  const cpu0 = cpuMs();
  const rawMs = await timed(ACCOUNTS, (i) => client.workflow.start('benchTrivial', { taskQueue: 'bench-raw', workflowId: `raw-${i}`, args: [] }));
  const cpu1 = cpuMs();
  const cairnMs = await timed(ACCOUNTS, (i) => post(`/playbooks/${playbook.id}/enrollments`, { accountId: accounts[i].id }));

  const cpu2 = cpuMs();
  const rate = (ms) => (ACCOUNTS / ms) * 1000;
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}; ${ACCOUNTS} starts, ${CONCURRENCY} in flight\n`);
  console.log('| path | total (s) | starts per second |');
  console.log('| --- | ---: | ---: |');
  console.log(`| raw Temporal client: \`workflow.start\` of a trivial workflow | ${(rawMs / 1000).toFixed(2)} | ${rate(rawMs).toFixed(0)} |`);
  console.log(`| Cairn: \`POST /api/playbooks/:id/enrollments\` (authenticate, validate, insert run, start, store run id, audit) | ${(cairnMs / 1000).toFixed(2)} | ${rate(cairnMs).toFixed(0)} |`);
  console.log(`\nratio Cairn / raw: ${(rate(cairnMs) / rate(rawMs)).toFixed(2)}`);
  if (cpu0 && cpu1 && cpu2) {
    // CPU per start: the ratio can be no better than the raw path's CPU over Cairn's when the cores are saturated.
    const per = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, (b[k] - a[k]) / ACCOUNTS]));
    const row = (name, c) => `| ${name} | ${c.node.toFixed(2)} | ${c.temporal.toFixed(2)} | ${c.postgres.toFixed(2)} | ${(c.node + c.temporal + c.postgres).toFixed(2)} |`;
    console.log('\nCPU per start (ms):\n\n| path | node (client + API) | Temporal | Postgres | total |\n| --- | ---: | ---: | ---: | ---: |');
    console.log(row('raw', per(cpu0, cpu1)));
    console.log(row('Cairn', per(cpu1, cpu2)));
  }

  await app.close();
  await client.connection.close();
} finally {
  await globalTeardown();
}
