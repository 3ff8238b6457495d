import 'reflect-metadata';
import { createDataSource } from '@cairn/db';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, type LogLevel, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from './config/config';
import { createEnroll, createEnrollMany } from './enrollment';
import { createChatNotifier, createInAppMessenger, createWebhookSender } from './http';
import { createSmtpMailer } from './mail/mailer';
import { ensureAccountDateSchedule } from './schedules';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  // The SDK logs every bundling detail at INFO; warnings and errors are what operators need.
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL ?? 'WARN') as LogLevel) });
  const dataSource = await createDataSource(config.databaseUrl).initialize();
  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  // `enroll` steps start other runs: a client connection of its own, beside the worker's.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const enroll = createEnroll({ dataSource, temporal, taskQueue: config.taskQueue });
  const enrollMany = createEnrollMany({ dataSource, temporal, taskQueue: config.taskQueue });
  const timeoutMs = config.httpTimeoutMs;
  const deps = {
    dataSource,
    mailer,
    enroll,
    enrollMany,
    // Unset URLs turn chat and in-app off: those touches are recorded as skipped with the reason.
    chat: createChatNotifier({ webhookUrl: config.chatWebhookUrl, timeoutMs }),
    inApp: createInAppMessenger({ webhookUrl: config.inAppWebhookUrl, timeoutMs }),
    webhook: createWebhookSender({ timeoutMs }),
  };
  try {
    const worker = await createWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, deps });
    // Account-date triggers are checked by a Temporal Schedule this worker keeps (created once, kept in line after).
    console.log(`[worker] account-date schedule ${await ensureAccountDateSchedule(temporal, config.taskQueue)}`);
    console.log(`[worker] polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})`);
    // Resolves after SIGINT/SIGTERM once in-flight tasks finish (the SDK installs the handlers).
    await worker.run();
  } finally {
    await clientConnection.close();
    await connection.close();
    mailer.close();
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  console.error('[worker] stopped:', err instanceof Error ? err.message : err);
  process.exit(1);
});
