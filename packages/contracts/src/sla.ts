import { z } from 'zod';

/**
 * Where a pending approval or an open task stands against its due date (its SLA):
 * - `escalated`: the escalation ladder already acted (the manager was notified or handed it);
 *   it wins over the others, since someone above the assignee is now involved;
 * - `overdue`: the due date has passed (now ≥ dueAt);
 * - `due_soon`: due within the due-soon window (24 hours unless told otherwise);
 * - `on_time`: due later than that, or no due date at all.
 * Closed items (decided, expired, done, cancelled) have no SLA state: null.
 */
export const slaStateSchema = z.enum(['on_time', 'due_soon', 'overdue', 'escalated']);
export type SlaState = z.infer<typeof slaStateSchema>;

/** What counts as "due soon": due within the next 24 hours. */
export const DUE_SOON_MS = 24 * 60 * 60 * 1000;

export interface SlaInput {
  /** Pending (approval) or open (task): only those have an SLA state. */
  open: boolean;
  /** The due date in ms since the epoch, or null when there is none. */
  dueAtMs: number | null;
  /** How many escalation rungs fired (always 0 for tasks). */
  escalationLevel: number;
  nowMs: number;
  dueSoonMs?: number;
}

export function slaStateOf({ open, dueAtMs, escalationLevel, nowMs, dueSoonMs = DUE_SOON_MS }: SlaInput): SlaState | null {
  if (!open) return null;
  if (escalationLevel > 0) return 'escalated';
  if (dueAtMs === null) return 'on_time';
  if (nowMs >= dueAtMs) return 'overdue';
  if (dueAtMs - nowMs <= dueSoonMs) return 'due_soon';
  return 'on_time';
}

/** The longest a work item may be snoozed for. */
export const MAX_SNOOZE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Why a snooze until `untilMs` is refused at `nowMs`, or null when it is fine. A snooze past the
 * due date is allowed: it only hides the item from inbox views, the SLA (and escalation) still runs.
 */
export function snoozeProblem(untilMs: number, nowMs: number): string | null {
  if (untilMs <= nowMs) return 'Snooze until a time in the future';
  if (untilMs - nowMs > MAX_SNOOZE_MS) return 'Snooze for at most 30 days';
  return null;
}
