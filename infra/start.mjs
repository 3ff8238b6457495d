// @ts-check
// `npm start`: provision what is missing and run the whole stack with demo data.
import { ensureDependencies, nxEnv } from './lib/bootstrap.mjs';
import { DATA_DIR, ROOT } from './lib/paths.mjs';

ensureDependencies();

const { join } = await import('node:path');
const { mkdirSync } = await import('node:fs');
const { run } = await import('./lib/exec.mjs');
const log = await import('./lib/log.mjs');
const { ProcessGroup, portInUse, waitForHttp } = await import('./lib/processes.mjs');
const { startPostgres } = await import('./lib/postgres.mjs');
const { ensureTemporalCli, startTemporalDevServer } = await import('./lib/temporal-cli.mjs');
const { startSmtpSink } = await import('./lib/smtp-sink.mjs');

const env = process.env;
const ports = {
  api: Number(env.API_PORT ?? 3000),
  web: Number(env.WEB_PORT ?? 5173),
  temporal: Number(env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(env.TEMPORAL_UI_PORT ?? 8233),
  postgres: Number(env.CAIRN_PG_PORT ?? 54329),
  smtp: Number(env.CAIRN_SMTP_PORT ?? 1025),
};

/** @param {number} port @param {string} what @param {string} variable */
async function requireFreePort(port, what, variable) {
  if (await portInUse(port)) throw new Error(`Port ${port} (${what}) is already in use. Stop what uses it, or set ${variable} to another port.`);
}

const group = new ProcessGroup();
group.handleSignals();

try {
  mkdirSync(DATA_DIR, { recursive: true });
  await requireFreePort(ports.api, 'API', 'API_PORT');
  await requireFreePort(ports.web, 'web app', 'WEB_PORT');

  const temporalBin = await ensureTemporalCli();

  log.step(env.DATABASE_URL ? 'Using Postgres at DATABASE_URL' : `Starting Postgres (data in ${join(DATA_DIR, 'postgres')})`);
  if (!env.DATABASE_URL) await requireFreePort(ports.postgres, 'Postgres', 'CAIRN_PG_PORT');
  const postgres = await startPostgres({ dataDir: join(DATA_DIR, 'postgres'), port: ports.postgres });
  group.addService('postgres', postgres.stop);

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi = null;
  if (temporalBin) {
    await requireFreePort(ports.temporal, 'Temporal', 'TEMPORAL_PORT');
    await requireFreePort(ports.temporalUi, 'Temporal UI', 'TEMPORAL_UI_PORT');
    mkdirSync(join(DATA_DIR, 'temporal'), { recursive: true });
    log.step('Starting the Temporal dev server');
    const temporal = await startTemporalDevServer({
      bin: temporalBin,
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFile: join(DATA_DIR, 'temporal', 'temporal.db'),
      logFile: join(DATA_DIR, 'temporal', 'server.log'),
    });
    group.addService('temporal', temporal.stop);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
  }

  let smtpUrl = env.SMTP_URL;
  if (!smtpUrl) {
    await requireFreePort(ports.smtp, 'mail sink', 'CAIRN_SMTP_PORT');
    const sink = await startSmtpSink({ port: ports.smtp, dir: join(DATA_DIR, 'mail'), log: (line) => console.log(`[mail] ${line}`) });
    group.addService('mail sink', sink.stop);
    smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  }

  const childEnv = {
    ...env,
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE ?? 'cairn-playbooks',
    SMTP_URL: smtpUrl,
    MAIL_FROM: env.MAIL_FROM ?? 'Cairn <playbooks@cairn.local>',
    API_PORT: String(ports.api),
    API_URL: `http://127.0.0.1:${ports.api}`,
  };

  await log.withProgress('Building', () => run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], { cwd: ROOT, env: nxEnv(), inherit: true }));
  await log.withProgress('Migrating the database', () => run('node', ['apps/api/dist/cli.js', 'migrate'], { cwd: ROOT, env: childEnv, inherit: true }));
  await log.withProgress('Seeding the demo workspace', () => run('node', ['apps/api/dist/cli.js', 'seed'], { cwd: ROOT, env: childEnv, inherit: true }));

  group.spawn('worker', 'node', ['apps/worker/dist/main.js'], { cwd: ROOT, env: childEnv });
  group.spawn('api', 'node', ['apps/api/dist/main.js'], { cwd: ROOT, env: childEnv });
  group.spawn('web', 'npx', ['vite', 'preview', '--config', 'apps/web/vite.config.mts', '--port', String(ports.web), '--strictPort', '--host', '127.0.0.1'], { cwd: ROOT, env: childEnv });
  await waitForHttp(`http://127.0.0.1:${ports.api}/api/health`);
  await waitForHttp(`http://127.0.0.1:${ports.web}/`);

  const lines = [
    `Web app       http://localhost:${ports.web}`,
    `API docs      http://localhost:${ports.api}/api/docs`,
    `Temporal UI   ${temporalUi ?? `external cluster at ${temporalAddress}`}`,
    `Mail          ${env.SMTP_URL ? `relay ${env.SMTP_URL}` : `sink, messages in ${join(DATA_DIR, 'mail')}`}`,
    `Data          ${DATA_DIR}`,
    '',
    'Ctrl-C stops everything.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  console.log(`\n${log.bold('Cairn is running')}\n┌${'─'.repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join('\n')}\n└${'─'.repeat(width)}┘\n`);
} catch (error) {
  console.error(log.red(`\n${error instanceof Error ? error.message : String(error)}`));
  await group.stopAll(1);
}
