import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { ROOT } from '../browser';

/** A real SMTP listener on a free port: the touches the worker sends arrive here (subject lines kept). */
async function startSmtp() {
  const subjects: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        subjects.push(/^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '');
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { port, subjects, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHttp(url: string, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up:\n${log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The real stack the browser talks to, as `npm start` runs it: migrations and seed, the built API
 * and worker processes, and the built web app served by `vite preview` proxying /api.
 * Postgres and Temporal come from infra/testing/global-setup.mjs.
 */
export async function startStack() {
  const apiPort = await freePort();
  const webPort = await freePort();
  const smtp = await startSmtp();
  const env = {
    ...process.env,
    API_PORT: String(apiPort),
    API_URL: `http://127.0.0.1:${apiPort}`,
    TEMPORAL_TASK_QUEUE: `cairn-web-e2e-${process.pid}`,
    // Approved touches go out over real SMTP to the listener above.
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    CAIRN_JWT_SECRET: 'cairn-web-e2e-jwt-secret-0123456789-abcdefghijklmnop',
    // Access tokens live 5 seconds here, so the test sees the app refresh its session on its own.
    CAIRN_SESSION_TTL: '5s',
  };
  try {
    execFileSync(process.execPath, ['apps/api/dist/cli.js', 'migrate'], { cwd: ROOT, env, stdio: 'pipe' });
    execFileSync(process.execPath, ['apps/api/dist/cli.js', 'seed'], { cwd: ROOT, env, stdio: 'pipe' });
  } catch (error) {
    await smtp.close();
    throw error;
  }

  const children: ChildProcess[] = [];
  let log = '';
  const start = (name: string, command: string, args: string[]) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c) => (log += `[${name}] ${c}`));
    child.stderr?.on('data', (c) => (log += `[${name}] ${c}`));
    children.push(child);
  };
  start('api', process.execPath, ['apps/api/dist/main.js']);
  start('worker', process.execPath, ['apps/worker/dist/main.js']);
  start('web', process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--config', 'apps/web/vite.config.mts', '--port', String(webPort), '--strictPort', '--host', '127.0.0.1']);

  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await smtp.close();
  };
  try {
    await waitForHttp(`http://127.0.0.1:${apiPort}/api/health`, () => log);
    await waitForHttp(`http://127.0.0.1:${webPort}/`, () => log);
  } catch (error) {
    // Never leave the API, worker or web server running when the stack did not come up.
    await stop();
    throw error;
  }

  return { apiUrl: `http://127.0.0.1:${apiPort}/api`, webUrl: `http://127.0.0.1:${webPort}`, log: () => log, stop, sentSubjects: smtp.subjects };
}
