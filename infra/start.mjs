// @ts-check
// `npm start`: from a fresh clone to the whole stack running with demo data. Installs npm
// dependencies if needed, provisions the Temporal CLI, starts Postgres, Temporal and a mail sink
// (each unless an external one is configured), builds, migrates, seeds, then runs worker, API and
// web app until Ctrl-C. Data lives in CAIRN_DATA_DIR (default .data/) and survives restarts.
import { ensureDependencies, nxEnv } from './lib/bootstrap.mjs';
import { DATA_DIR, ROOT } from './lib/paths.mjs';

// Node built-ins only up to here: everything below may need node_modules.
ensureDependencies();

const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
const { randomBytes } = await import('node:crypto');
const { createRequire } = await import('node:module');
const { join } = await import('node:path');
const { run } = await import('./lib/exec.mjs');
const log = await import('./lib/log.mjs');
const { ProcessGroup, prefixed, reapStale, requireFreePort, waitForHttp } = await import('./lib/processes.mjs');
const { startPostgres } = await import('./lib/postgres.mjs');
const { ensureTemporalCli, startTemporalDevServer } = await import('./lib/temporal-cli.mjs');
const { startSmtpSink } = await import('./lib/smtp-sink.mjs');

const env = process.env;

/**
 * @param {string} name
 * @param {number} fallback
 */
function envPort(name, fallback) {
  const value = env[name] ? Number(env[name]) : fallback;
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name}=${env[name]} is not a port number.`);
  return value;
}

const dirs = {
  postgres: join(DATA_DIR, 'postgres'),
  temporal: join(DATA_DIR, 'temporal'),
  mail: join(DATA_DIR, 'mail'),
  run: join(DATA_DIR, 'run'),
};
const pidFile = (/** @type {string} */ name) => join(dirs.run, `${name}.pid`);

/**
 * `[name]` lines for a service's own output, muted once shutdown begins (a stopping Temporal
 * server logs a burst of harmless connection warnings; they still go to its log file).
 * @param {string} name
 */
const serviceOutput = (name) => {
  const say = prefixed(name);
  return (/** @type {string} */ line) => void (group.stopping || say(line));
};

/** The long-running app processes: name, command line, and a marker to recognise a stale one. */
const APPS = [
  { name: 'worker', args: ['apps/worker/dist/main.js'], marker: 'apps/worker/dist/main.js' },
  { name: 'api', args: ['apps/api/dist/main.js'], marker: 'apps/api/dist/main.js' },
  { name: 'web', args: [join('node_modules', 'vite', 'bin', 'vite.js'), 'preview'], marker: 'vite.js preview' },
];

const group = new ProcessGroup();
group.handleSignals();

try {
  const ports = readPorts();
  mkdirSync(DATA_DIR, { recursive: true });
  await reapLeftovers();
  await checkPorts(ports);
  const temporalBin = await ensureTemporalCli();
  const databaseUrl = await startDatabase(ports);
  const temporal = await startTemporal(temporalBin, ports);
  const smtpUrl = await startMail(ports);
  const childEnv = {
    ...env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE ?? 'cairn-playbooks',
    SMTP_URL: smtpUrl,
    MAIL_FROM: env.MAIL_FROM ?? 'Cairn <playbooks@cairn.local>',
    API_PORT: String(ports.api),
    API_URL: env.API_URL ?? `http://127.0.0.1:${ports.api}`,
    WEB_PORT: String(ports.web),
    CAIRN_JWT_SECRET: jwtSecret(),
  };
  await buildAndPrepare(childEnv);
  await startApps(childEnv, ports);
  await startDemo(ports);
  printBox(ports, temporal);
} catch (error) {
  log.fail(log.red(log.messageOf(error)));
  await group.stopAll(1);
}

/**
 * The API's signing secret: CAIRN_JWT_SECRET when set, else one generated once into the data
 * directory (readable by this user only), so sign-ins survive a restart and no public default is used.
 */
function jwtSecret() {
  if (env.CAIRN_JWT_SECRET) return env.CAIRN_JWT_SECRET;
  const file = join(DATA_DIR, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function readPorts() {
  return {
    api: envPort('API_PORT', 3000),
    web: envPort('WEB_PORT', 5173),
    temporal: envPort('TEMPORAL_PORT', 7233),
    temporalUi: envPort('TEMPORAL_UI_PORT', 8233),
    postgres: envPort('CAIRN_PG_PORT', 54329),
    smtp: envPort('CAIRN_SMTP_PORT', 1025),
  };
}

/** Processes a killed earlier run (kill -9, closed laptop) left behind would hold our ports. */
async function reapLeftovers() {
  const say = prefixed('start');
  for (const app of APPS) await reapStale(pidFile(app.name), { marker: app.marker, log: say });
  await reapStale(pidFile('temporal'), { marker: 'start-dev', log: say });
  await reapStale(join(dirs.postgres, 'postmaster.pid'), { marker: dirs.postgres, signal: 'SIGINT', graceMs: 30_000, log: say });
}

/**
 * Fails before any slow step when a port we would listen on is taken.
 * @param {ReturnType<typeof readPorts>} ports
 */
async function checkPorts(ports) {
  await requireFreePort(ports.api, 'API', 'API_PORT');
  await requireFreePort(ports.web, 'web app', 'WEB_PORT');
  if (!env.DATABASE_URL) await requireFreePort(ports.postgres, 'Postgres', 'CAIRN_PG_PORT');
  if (!env.TEMPORAL_ADDRESS) {
    await requireFreePort(ports.temporal, 'Temporal', 'TEMPORAL_PORT');
    await requireFreePort(ports.temporalUi, 'Temporal UI', 'TEMPORAL_UI_PORT');
  }
  if (!env.SMTP_URL) await requireFreePort(ports.smtp, 'mail sink', 'CAIRN_SMTP_PORT');
}

/** @param {ReturnType<typeof readPorts>} ports */
async function startDatabase(ports) {
  if (env.DATABASE_URL) {
    log.done('Postgres: using DATABASE_URL');
    return env.DATABASE_URL;
  }
  log.step(`Starting Postgres on port ${ports.postgres} (data in ${dirs.postgres})`);
  const postgres = await startPostgres({ dataDir: dirs.postgres, port: ports.postgres, detached: true, onLine: serviceOutput('postgres') });
  group.addService('postgres', postgres.stop);
  log.done(`Postgres ready: ${postgres.url}`);
  return postgres.url;
}

/**
 * @param {string | null} bin
 * @param {ReturnType<typeof readPorts>} ports
 * @returns {Promise<{ address: string, uiUrl: string | null }>}
 */
async function startTemporal(bin, ports) {
  if (!bin) {
    log.done(`Temporal: using the cluster at TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS}`);
    return { address: /** @type {string} */ (env.TEMPORAL_ADDRESS), uiUrl: null };
  }
  log.step(`Starting the Temporal dev server on port ${ports.temporal} (${bin})`);
  const temporal = await startTemporalDevServer({
    bin,
    port: ports.temporal,
    uiPort: ports.temporalUi,
    dbFile: join(dirs.temporal, 'temporal.db'),
    logFile: join(dirs.temporal, 'server.log'),
    pidFile: pidFile('temporal'),
    detached: true,
    onLine: serviceOutput('temporal'),
  });
  group.addService('temporal', temporal.stop);
  log.done(`Temporal ready: ${temporal.address}`);
  return temporal;
}

/** @param {ReturnType<typeof readPorts>} ports */
async function startMail(ports) {
  if (env.SMTP_URL) {
    log.done('Mail: relaying through SMTP_URL');
    return env.SMTP_URL;
  }
  const sink = await startSmtpSink({ port: ports.smtp, dir: dirs.mail, log: prefixed('mail') });
  group.addService('mail sink', sink.stop);
  log.done(`Mail sink ready: ${sink.url} (messages saved in ${dirs.mail})`);
  return sink.url;
}

/** @param {NodeJS.ProcessEnv} childEnv */
async function buildAndPrepare(childEnv) {
  await log.withProgress('Building', () => run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], { cwd: ROOT, env: nxEnv(), inherit: true }));
  const cli = join('apps', 'api', 'dist', 'cli.js');
  await log.withProgress('Migrating the database', () => run('node', [cli, 'migrate'], { cwd: ROOT, env: childEnv, onLine: prefixed('migrate') }));
  await log.withProgress('Seeding the demo workspace', () => run('node', [cli, 'seed'], { cwd: ROOT, env: childEnv, onLine: prefixed('seed') }));
}

/** The web app's Vite config (the web project decides between .ts, .mts and .js). */
function viteConfig() {
  const candidates = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'].map((f) => join('apps', 'web', f));
  const found = candidates.find((f) => existsSync(join(ROOT, f)));
  if (!found) throw new Error(`No Vite config for the web app (looked for ${candidates.join(', ')}).`);
  return found;
}

/**
 * @param {NodeJS.ProcessEnv} childEnv
 * @param {ReturnType<typeof readPorts>} ports
 */
async function startApps(childEnv, ports) {
  const extra = { web: ['--config', viteConfig(), '--port', String(ports.web), '--strictPort', '--host', '127.0.0.1'] };
  /** @type {Record<string, import('node:child_process').ChildProcess>} */
  const started = {};
  for (const app of APPS) {
    const args = [...app.args, ...(/** @type {Record<string, string[]>} */ (extra)[app.name] ?? [])];
    started[app.name] = group.spawn(app.name, process.execPath, args, { cwd: ROOT, env: childEnv, pidFile: pidFile(app.name) });
  }
  const alive = (/** @type {string} */ name) => () => started[name].exitCode === null;
  log.step('Waiting for the API and the web app');
  await waitForHttp(`http://127.0.0.1:${ports.api}/api/health`, { alive: alive('api') });
  await waitForHttp(`http://127.0.0.1:${ports.web}/`, { alive: alive('web') });
}

/** The built seed's demo workspace (the one list of demo users and their password). */
function demoWorkspace() {
  return createRequire(import.meta.url)(join(ROOT, 'apps', 'api', 'dist', 'seed', 'demo-workspace.js'));
}

/**
 * On a workspace's first start, publishes the template playbooks and starts a few demo runs
 * through the API (CAIRN_DEMO_RUNS=0 turns it off). The demo is a convenience: if it fails, the
 * stack keeps running and says why.
 * @param {ReturnType<typeof readPorts>} ports
 */
async function startDemo(ports) {
  if (env.CAIRN_DEMO_RUNS === '0') return;
  const { startDemoRuns } = await import('./lib/demo-runs.mjs');
  const seed = demoWorkspace();
  const ops = seed.demoUsers.find((/** @type {{ role: string }} */ u) => u.role === 'ops');
  try {
    const done = await startDemoRuns(`http://127.0.0.1:${ports.api}`, { email: ops.email, password: seed.DEMO_PASSWORD }, prefixed('demo'));
    log.done(`Demo runs: ${done}`);
  } catch (error) {
    log.warn(`Demo runs not started: ${log.messageOf(error)}`);
  }
}

/** The seeded demo users and their password, from the built seed (the one list of them). */
function demoSignIns() {
  const seed = demoWorkspace();
  /** @type {Array<{ email: string, role: string, name: string }>} */
  const users = seed.demoUsers;
  const width = Math.max(...users.map((u) => u.email.length));
  return [`Sign in as (password ${seed.DEMO_PASSWORD}, demo only):`, ...users.map((u) => `  ${u.email.padEnd(width)}  ${u.role.padEnd(10)}  ${u.name}`)];
}

/**
 * @param {ReturnType<typeof readPorts>} ports
 * @param {{ address: string, uiUrl: string | null }} temporal
 */
function printBox(ports, temporal) {
  const lines = [
    `Web app       http://localhost:${ports.web}`,
    `API docs      http://localhost:${ports.api}/docs`,
    `Temporal UI   ${temporal.uiUrl ?? `external cluster at ${temporal.address}`}`,
    `Mail          ${env.SMTP_URL ? 'sent through SMTP_URL' : `sink, messages saved in ${dirs.mail}`}`,
    `Data          ${DATA_DIR}`,
    '',
    ...demoSignIns(),
    '',
    'Ctrl-C to stop (data is kept for the next npm start).',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const body = lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join('\n');
  console.log(`\n${log.green(log.bold('Cairn is running'))}\n┌${'─'.repeat(width)}┐\n${body}\n└${'─'.repeat(width)}┘\n`);
}
