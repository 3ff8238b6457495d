import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What is known about an account at a moment: what conditions read. */
export const accountSnapshotSchema = z
  .object({
    name: z.string().default('Account'),
    segment: z.string().default(''),
    attributes: z.record(z.string(), scalar).default({}),
    metrics: z.record(z.string(), z.number()).default({}),
    /** Stakeholder roles present in the people map. */
    roles: z.array(z.string()).default([]),
    /** Account dates, ISO 8601 (`{ "renewal_date": "2027-03-01" }`). */
    dates: z.record(z.string(), z.iso.date()).default({}),
    /** IANA timezone, for business days and quiet hours. */
    timezone: z.string().min(1).default('UTC'),
  })
  .strict();
export type AccountSnapshot = z.output<typeof accountSnapshotSchema>;

/** An account as stored: its row and the roles held in its people map. */
export interface StoredAccount {
  name: string;
  /** Its own segment's key. */
  segment: string;
  timezone: string;
  attributes: Record<string, string | number | boolean | null>;
  metrics: Record<string, unknown> | null;
  roles: readonly string[];
  /** The account's health, kept beside its attributes (read as `account.health` / `account.health_score`). */
  healthStatus?: string | null;
  healthScore?: number | null;
}

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/**
 * What conditions read about a stored account, built one way for the engine, segments and event
 * triggers: its dates are its `*_date` attributes, its metrics the finite numbers, and the people
 * map's "user" role is addressed as "users". Health lives in columns of its own, but conditions
 * read it as `account.health` and `account.health_score` like any attribute.
 */
export function accountSnapshotOf(account: StoredAccount): AccountSnapshot {
  const dates: Record<string, string> = {};
  for (const [key, value] of Object.entries(account.attributes)) {
    if (key.endsWith('_date') && typeof value === 'string' && DATE_PREFIX.test(value) && !Number.isNaN(Date.parse(value))) dates[key] = value;
  }
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(account.metrics ?? {})) if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
  return {
    name: account.name,
    segment: account.segment,
    attributes: {
      ...account.attributes,
      ...(account.healthStatus ? { health: account.healthStatus } : {}),
      ...(typeof account.healthScore === 'number' ? { health_score: account.healthScore } : {}),
    },
    metrics,
    roles: [...new Set(account.roles)].map((role) => (role === 'user' ? 'users' : role)),
    dates,
    timezone: account.timezone,
  };
}

/** Everything a condition can read during a run. */
export interface Facts {
  account: AccountSnapshot;
  /** Outcome (output handle) of each step the run completed. */
  steps: Record<string, string>;
  /** `reached_on_time`, `reached_late` or `pending`, per milestone step id. */
  milestones: Record<string, string>;
  /** The event being matched, for event filters. */
  event?: Record<string, unknown>;
  /** Now (ms since the epoch: workflow time in a run, the virtual clock in a simulation); date comparisons read today from it. Without it they do not hold. */
  nowMs?: number;
}

/** The value a condition field path reads, or undefined. */
export function readField(facts: Facts, field: string): unknown {
  const [root, ...rest] = field.split('.');
  const name = rest.join('.');
  switch (root) {
    case 'account':
      return name === 'name' ? facts.account.name : (facts.account.attributes[name] ?? facts.account.dates[name]);
    case 'metric':
      return facts.account.metrics[name];
    case 'segment':
      return facts.account.segment;
    case 'role':
      return facts.account.roles.includes(name) ? true : undefined;
    case 'step':
      return facts.steps[name.replace(/\.outcome$/, '')];
    case 'milestone':
      return facts.milestones[name] ?? 'pending';
    case 'event':
      return rest.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), facts.event);
    default:
      return undefined;
  }
}
