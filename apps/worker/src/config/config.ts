import { databaseUrl } from '@cairn/db';
import { DEFAULT_TASK_QUEUE } from '@cairn/workflows';
import { z } from 'zod';

const configSchema = z.object({
  databaseUrl: z.string().min(1),
  temporalAddress: z.string().min(1),
  temporalNamespace: z.string().min(1),
  taskQueue: z.string().min(1),
  smtpUrl: z.url(),
  mailFrom: z.string().min(3),
  /** Slack-compatible incoming webhook for chat notifications; unset turns chat off. */
  chatWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The product's in-app message endpoint; unset turns in-app messages off. */
  inAppWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Per-request timeout of outgoing HTTP (webhook steps, chat, in-app). */
  httpTimeoutMs: z.coerce.number().int().positive(),
});
export type WorkerConfig = z.infer<typeof configSchema>;

/** Worker settings from the environment; defaults match what `npm start` provisions locally. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = configSchema.safeParse({
    databaseUrl: databaseUrl(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
    mailFrom: env.MAIL_FROM ?? 'Cairn <playbooks@cairn.local>',
    // An empty value (`CAIRN_CHAT_WEBHOOK_URL=` in a .env file) means unset.
    chatWebhookUrl: env.CAIRN_CHAT_WEBHOOK_URL || undefined,
    inAppWebhookUrl: env.CAIRN_IN_APP_WEBHOOK_URL || undefined,
    httpTimeoutMs: env.CAIRN_HTTP_TIMEOUT_MS || 10_000,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid worker configuration: ${problems}`);
  }
  return parsed.data;
}
