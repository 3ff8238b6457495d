import type { Condition } from '../conditions';
import { durationMs } from '../duration';
import type { TouchData } from '../nodes/touch';
import { evaluateCondition, explainCondition } from './conditions';
import { addBusinessDays, afterQuietHours } from './calendar';
import { accountDateOffsetText } from './triggers';
import type { Facts } from './facts';

/**
 * The meaning of each step, as plain functions. The Temporal workflow and the simulator both call
 * these, so what the simulator predicts is what the engine does.
 */
export const DAY_MS = 86_400_000;

export interface WaitClock {
  /** When the run was enrolled (ms since epoch). */
  enrolledAtMs: number;
  nowMs: number;
  /** Account dates as ms since epoch, for `until_date`. */
  dates?: Record<string, number>;
  /** The account's timezone, for business days and quiet hours (default UTC). */
  timeZone?: string;
}

/** How long a wait holds the run from now (null: cannot be known, e.g. the account has no such date). Plans from compiler v1 have no `mode`. */
export function waitSpan(data: Record<string, any>, clock: WaitClock): { ms: number | null; what: string } {
  const base = baseWaitSpan(data, clock);
  if (base.ms === null || (!data.businessDays && !data.quietHours)) return base;
  const timeZone = clock.timeZone ?? 'UTC';
  let until = clock.nowMs + base.ms;
  let what = base.what;
  // Business days stretch a whole-day duration over weekends, in the account's timezone.
  if (data.businessDays && data.mode === 'duration' && base.ms % DAY_MS === 0) {
    until = addBusinessDays(clock.nowMs, base.ms / DAY_MS, timeZone);
    what = `${base.ms / DAY_MS} business days`;
  }
  if (data.quietHours) {
    const after = afterQuietHours(until, data.quietHours, timeZone);
    if (after !== until) what += `, then past quiet hours (${data.quietHours.start}–${data.quietHours.end} ${timeZone})`;
    until = after;
  }
  return { ms: until - clock.nowMs, what };
}

function baseWaitSpan(data: Record<string, any>, clock: WaitClock): { ms: number | null; what: string } {
  if (data.mode === 'until_day') {
    return { ms: Math.max(0, clock.enrolledAtMs + data.day * DAY_MS - clock.nowMs), what: `until day ${data.day}` };
  }
  if (data.mode === 'until_date') {
    const offset = data.offsetDays === 0 ? '' : ` ${data.offsetDays > 0 ? '+' : '−'} ${Math.abs(data.offsetDays)} days`;
    const what = `until ${String(data.field)}${offset}`;
    const date = clock.dates?.[data.field];
    if (date === undefined) return { ms: null, what: `${what} (the account has no ${data.field})` };
    const until = date + data.offsetDays * DAY_MS;
    // The date it works out to, as explanations quote it: "renewal_date − 120 days = 2026-12-01".
    return { ms: Math.max(0, until - clock.nowMs), what: `${what} = ${new Date(until).toISOString().slice(0, 10)}` };
  }
  return { ms: durationMs(data.duration), what: String(data.duration) };
}

/** The first branch case that holds, else `otherwise`, with the reason. */
export function chooseBranch(data: { cases: Array<{ id: string; label: string; when: Condition }> }, facts: Facts): { handle: string; reason: string } {
  for (const c of data.cases) {
    if (evaluateCondition(c.when, facts)) return { handle: c.id, reason: `"${c.label}" taken: ${explainCondition(c.when, facts)}` };
  }
  return { handle: 'otherwise', reason: `No case held: ${data.cases.map((c) => `"${c.label}" needs ${explainCondition(c.when, facts)}`).join('; ')}` };
}

/** The touch as this account gets it: the first variant for its segment, else the default. */
export function touchForSegment(data: TouchData, segment: string): { channel: string; to: string; subject?: string; body: string; variant: number | null } {
  const index = data.variants.findIndex((v) => v.segments.includes(segment));
  if (index < 0) return { channel: data.channel, to: data.to, subject: data.subject, body: data.body, variant: null };
  const v = data.variants[index];
  return { channel: v.channel, to: v.to ?? data.to, subject: v.subject ?? data.subject, body: v.body ?? data.body, variant: index };
}

/** Whether a milestone is reached when the run arrives, and whether on time. */
export function milestoneStatus(data: { name: string; targetDay: number; criteria?: Condition }, day: number, facts: Facts): { status: 'reached_on_time' | 'reached_late' | 'missed'; reason: string } {
  if (data.criteria && !evaluateCondition(data.criteria, facts)) return { status: 'missed', reason: `"${data.name}" not reached: ${explainCondition(data.criteria, facts)} does not hold on day ${day}` };
  const late = day > data.targetDay;
  return { status: late ? 'reached_late' : 'reached_on_time', reason: `"${data.name}" reached on day ${day}, ${late ? `${day - data.targetDay} days late` : 'on time'} (target day ${data.targetDay})` };
}

/** How the run ends at an end step. */
export function endOutcome(data: { outcome?: 'completed' | 'exited'; reason?: string }): { outcome: 'completed' | 'exited'; reason: string } {
  const outcome = data.outcome ?? 'completed';
  return { outcome, reason: data.reason ?? (outcome === 'completed' ? 'Reached the end of the playbook' : 'Exited the playbook') };
}

/** Why an approval took its output. */
export function approvalReason(decision: 'approved' | 'rejected', by: string, note?: string): string {
  return `${decision === 'approved' ? 'Approved' : 'Rejected'} by ${by}${note ? `: ${note}` : ''}`;
}

/** Why the account entered the playbook, in words. */
export function triggerReason(data: { on?: string; field?: string; offsetDays?: number; segment?: string; event?: { type: string }; cron?: string }): string {
  switch (data.on) {
    case 'manual':
    case undefined:
      return 'Account enrolled';
    case 'account_date':
      return `${accountDateOffsetText(data.field ?? 'date', data.offsetDays ?? 0)} reached`;
    case 'schedule':
      return `Scheduled (${data.cron})`;
    case 'event':
      return `Started by ${data.event?.type ?? 'an event'}`;
    case 'segment_entered':
      return `Entered segment ${data.segment}`;
    case 'segment_exited':
      return `Left segment ${data.segment}`;
    default:
      return `Started by ${data.on}`;
  }
}
