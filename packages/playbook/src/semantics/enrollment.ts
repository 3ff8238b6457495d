import type { PlaybookDocument, PlaybookSettings } from '../document';
import { durationMs } from '../duration';

/** One earlier run of the playbook for the account (any outcome, including the running one). */
export interface PreviousRun {
  startedAtMs: number;
  status: string;
}

export interface EnrollmentQuestion {
  reentry: PlaybookSettings['reentry'];
  audience: PlaybookDocument['audience'];
  /** The account's own segment key (null when it has none). */
  accountSegment: string | null;
  /** Every segment the account is in now (rule and manual); the audience matches any of them. */
  accountSegments?: readonly string[];
  /** Every earlier run of this playbook for this account, in any order. */
  previousRuns: readonly PreviousRun[];
  /** Whether a run of this playbook is open for the account now. */
  running: boolean;
  nowMs: number;
}

export type EnrollmentRefusal = 'already_running' | 'reentry' | 'audience';

export type EnrollmentDecision = { allowed: true } | { allowed: false; code: EnrollmentRefusal; reason: string };

/**
 * Whether an account may start a run of a playbook now: never while a run is open; only when one
 * of its segments is in the audience (no segments means every account); and as often as the re-entry
 * policy allows, counting every earlier run whatever its outcome. Refusals say why in plain words.
 */
export function enrollmentDecision(q: EnrollmentQuestion): EnrollmentDecision {
  if (q.running) return { allowed: false, code: 'already_running', reason: 'This playbook is already running for this account' };

  const segments = q.audience?.segments ?? [];
  const memberOf = [...new Set([...(q.accountSegment === null ? [] : [q.accountSegment]), ...(q.accountSegments ?? [])])];
  if (segments.length > 0 && !segments.some((s) => memberOf.includes(s))) {
    const wanted = segments.map((s) => `"${s}"`).join(', ');
    const is = memberOf.length === 0 ? 'the account has no segment' : `the account is in ${memberOf.map((s) => `"${s}"`).join(', ')}`;
    return { allowed: false, code: 'audience', reason: `Audience: the playbook is for segment${segments.length > 1 ? 's' : ''} ${wanted}; ${is}` };
  }

  const runs = q.previousRuns.length;
  if (runs === 0) return { allowed: true };
  const lastMs = Math.max(...q.previousRuns.map((r) => r.startedAtMs));
  const last = day(lastMs);
  const policy = q.reentry;
  switch (policy.policy) {
    case 'every_time':
      return { allowed: true };
    case 'once':
      return refuse('once', `the account already ran this playbook (${last})`);
    case 'at_most':
      if (runs < policy.times) return { allowed: true };
      return refuse(`at most ${times(policy.times)}`, `the account already ran this playbook ${times(runs)} (last on ${last})`);
    case 'once_per': {
      const nextMs = lastMs + durationMs(policy.period);
      if (q.nowMs >= nextMs) return { allowed: true };
      return refuse(`once per ${policy.period}`, `the account last entered this playbook on ${last}; it may enter again from ${day(nextMs)}`);
    }
  }
}

function refuse(policy: string, why: string): EnrollmentDecision {
  return { allowed: false, code: 'reentry', reason: `Re-entry policy "${policy}": ${why}` };
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
