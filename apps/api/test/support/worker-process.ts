import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built worker (`apps/worker/dist/main.js`) as its own process, as production runs it. */
export interface WorkerProcess {
  /** Polls `probe` until it answers; on timeout the error carries the end of the worker's log. */
  eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the built worker with `env` and resolves once it polls its task queue. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '../../../worker/dist/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const worker: WorkerProcess = {
    async eventually(what, probe, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nworker log:\n${log.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
  await worker.eventually('the worker to poll', async () => (log.includes('polling task queue') ? true : undefined));
  return worker;
}
