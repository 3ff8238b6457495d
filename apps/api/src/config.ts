import { databaseUrl } from '@cairn/db';
import { parseDuration } from '@cairn/playbook';
import { DEFAULT_START_CONCURRENCY } from '@cairn/enrollment';
import { DEFAULT_TASK_QUEUE } from '@cairn/workflows';
import { z } from 'zod';

/**
 * The signing secret outside production when CAIRN_JWT_SECRET is unset. It is public (it is in
 * this file), so anyone can mint sessions with it: the API warns at start, and refuses it in production.
 */
export const DEV_JWT_SECRET = 'cairn-dev-only-jwt-secret-do-not-use-in-production';
const MIN_SECRET_LENGTH = 32;

/** Seconds, from `900`, `15m`, `15 minutes` or `PT15M`. */
function seconds(name: string, fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value);
      if (ms === null || ms < 1000) {
        ctx.addIssue({ code: 'custom', message: `${name}="${value}" is not a duration of at least a second (write 900, "15m" or "12 hours")` });
        return z.NEVER;
      }
      return Math.round(ms / 1000);
    });
}

const configSchema = z.object({
  port: z.coerce.number().int().min(1).max(65_535),
  databaseUrl: z.string().min(1),
  temporalAddress: z.string().min(1),
  temporalNamespace: z.string().min(1),
  taskQueue: z.string().min(1),
  /** Minutes between segment membership sweeps; 0 turns them off. */
  segmentSweepMinutes: z.coerce.number().min(0).max(10_080),
  auth: z.object({
    jwtSecret: z.string().min(1),
    /** True when the public development secret is in use (the API warns). */
    jwtSecretIsDefault: z.boolean(),
    /** How long an access token lives (CAIRN_SESSION_TTL, default 15 minutes). */
    sessionTtlSeconds: seconds('CAIRN_SESSION_TTL', '15m'),
    /** How long a sign-in lasts before the password is needed again (CAIRN_REFRESH_TTL, default 12 hours). */
    refreshTtlSeconds: seconds('CAIRN_REFRESH_TTL', '12h'),
  }),
  /** Workflow starts in flight at once during a bulk enrollment. */
  enrollConcurrency: z.coerce.number().int().min(1).max(1_000),
  /**
   * Check every answer against the schema its route declares (CAIRN_VALIDATE_RESPONSES; on by
   * default when NODE_ENV=test): a mismatch is a 500 `response_invalid`. Off, a mismatch is logged.
   */
  validateResponses: z.boolean(),
});
export type ApiConfig = z.output<typeof configSchema>;

export const API_CONFIG = Symbol('API_CONFIG');

/** The JWT secret: required in production (fail fast), the public development one otherwise. */
function jwtSecret(env: NodeJS.ProcessEnv): { jwtSecret: string; jwtSecretIsDefault: boolean } {
  const secret = env.CAIRN_JWT_SECRET?.trim();
  if (env.NODE_ENV === 'production') {
    if (!secret) throw new Error('CAIRN_JWT_SECRET must be set when NODE_ENV=production: a random string of at least 32 characters (for example `openssl rand -base64 48`).');
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`CAIRN_JWT_SECRET is too short: use at least ${MIN_SECRET_LENGTH} random characters (for example \`openssl rand -base64 48\`).`);
    if (secret === DEV_JWT_SECRET) throw new Error('CAIRN_JWT_SECRET is the public development secret; set a random one for production.');
  }
  return secret ? { jwtSecret: secret, jwtSecretIsDefault: secret === DEV_JWT_SECRET } : { jwtSecret: DEV_JWT_SECRET, jwtSecretIsDefault: true };
}

/** An on/off environment variable: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`; unset or empty is undefined. */
function flag(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new Error(`Invalid API configuration: CAIRN_VALIDATE_RESPONSES="${value}" is not on or off (write 1 or 0)`);
}

/** API settings from the environment, with the defaults `npm start` provisions locally. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = configSchema.safeParse({
    port: env.API_PORT ?? 3000,
    databaseUrl: databaseUrl(env),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    segmentSweepMinutes: env.CAIRN_SEGMENT_SWEEP_MINUTES ?? 60,
    auth: { ...jwtSecret(env), sessionTtlSeconds: env.CAIRN_SESSION_TTL || undefined, refreshTtlSeconds: env.CAIRN_REFRESH_TTL || undefined },
    enrollConcurrency: env.CAIRN_ENROLL_CONCURRENCY ?? DEFAULT_START_CONCURRENCY,
    validateResponses: flag(env.CAIRN_VALIDATE_RESPONSES) ?? env.NODE_ENV === 'test',
  });
  if (!parsed.success) {
    throw new Error(`Invalid API configuration: ${parsed.error.issues.map((i) => (i.code === 'custom' ? i.message : `${i.path.join('.')}: ${i.message}`)).join('; ')}`);
  }
  return parsed.data;
}
