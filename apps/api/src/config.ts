import { databaseUrl } from '@cairn/db';
import { DEFAULT_TASK_QUEUE } from '@cairn/workflows';
import { z } from 'zod';

const configSchema = z.object({
  port: z.coerce.number().int().min(1).max(65_535),
  databaseUrl: z.string().min(1),
  temporalAddress: z.string().min(1),
  temporalNamespace: z.string().min(1),
  taskQueue: z.string().min(1),
  /** Minutes between segment membership sweeps; 0 turns them off. */
  segmentSweepMinutes: z.coerce.number().min(0).max(10_080),
});
export type ApiConfig = z.infer<typeof configSchema>;

export const API_CONFIG = Symbol('API_CONFIG');

/** API settings from the environment, with the defaults `npm start` provisions locally. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = configSchema.safeParse({
    port: env.API_PORT ?? 3000,
    databaseUrl: databaseUrl(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    segmentSweepMinutes: env.CAIRN_SEGMENT_SWEEP_MINUTES ?? 60,
  });
  if (!parsed.success) throw new Error(`Invalid API configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
