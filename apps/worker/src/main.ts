import 'reflect-metadata';
import { createDataSource } from '@cairn/db';
import { DefaultLogger, type LogLevel, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from './config/config';
import { createSmtpMailer } from './mail/mailer';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  // The SDK logs every bundling detail at INFO; warnings and errors are what operators need.
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL ?? 'WARN') as LogLevel) });
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, deps: { dataSource, mailer } });
    console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})`);
    // Resolves after SIGINT/SIGTERM once in-flight tasks finish (the SDK installs the handlers).
    await worker.run();
  } finally {
    await connection.close();
    mailer.close();
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('[worker] stopped:', err instanceof Error ? err.message : err);
  process.exit(1);
});
