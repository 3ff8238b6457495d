import { type InboxItem, type ManagedUser, snoozeProblem, type SlaState, type User } from '@cairn/contracts';

/** The SLA badge: words a person reads, and the class that colours it. */
export const SLA_BADGES: Record<SlaState, { label: string; tone: 'ok' | 'soon' | 'late' | 'escalated' }> = {
  on_time: { label: 'On time', tone: 'ok' },
  due_soon: { label: 'Due soon', tone: 'soon' },
  overdue: { label: 'Overdue', tone: 'late' },
  escalated: { label: 'Escalated', tone: 'escalated' },
};

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** "due in 5 h", "due in 3 days", "2 h overdue", "4 days overdue", "no due date": relative to `nowMs`. */
export function dueIn(dueAt: string | null, nowMs: number): string {
  if (!dueAt) return 'no due date';
  const delta = Date.parse(dueAt) - nowMs;
  const span = Math.abs(delta);
  const words = span < HOUR ? `${Math.max(1, Math.round(span / 60_000))} min` : span < 2 * DAY ? `${Math.round(span / HOUR)} h` : `${Math.round(span / DAY)} days`;
  return delta >= 0 ? `due in ${words}` : `${words} overdue`;
}

/**
 * What an edit-then-approve sends: only the fields the person changed (trimmed, as the API keeps
 * them), or undefined when nothing changed, so an untouched approval is a plain approval.
 */
export function editedTouch(proposed: { subject: string; body: string } | null, draft: { subject: string; body: string }): { subject?: string; body?: string } | undefined {
  if (!proposed) return undefined;
  const edit: { subject?: string; body?: string } = {};
  if (draft.subject.trim() && draft.subject.trim() !== proposed.subject.trim()) edit.subject = draft.subject.trim();
  if (draft.body.trim() && draft.body.trim() !== proposed.body.trim()) edit.body = draft.body.trim();
  return edit.subject === undefined && edit.body === undefined ? undefined : edit;
}

export type SnoozeChoice = { days: 1 | 3 } | { date: string };

/**
 * When a snooze ends: 1 or 3 days from now, or 9:00 (local time) on a chosen date; with the reason
 * the API would refuse it (in the past, more than 30 days ahead), checked here first.
 */
export function snoozeUntil(choice: SnoozeChoice, nowMs: number): { until: string; problem: string | null } {
  let untilMs: number;
  if ('days' in choice) untilMs = nowMs + choice.days * DAY;
  else {
    const [y, m, d] = choice.date.split('-').map(Number);
    untilMs = y && m && d ? new Date(y, m - 1, d, 9, 0, 0, 0).getTime() : Number.NaN;
  }
  if (Number.isNaN(untilMs)) return { until: '', problem: 'Pick a date' };
  return { until: new Date(untilMs).toISOString(), problem: snoozeProblem(untilMs, nowMs) };
}

export interface Candidate {
  id: string;
  name: string;
  role: string;
}

/**
 * Whom an item may be handed to. Admins read every user (`GET /api/users`, `users:manage`): the
 * active people whose role may decide. Others cannot list users, so the candidates are the people
 * they can see: the CSMs of the accounts they read and the assignees in the inbox. The API checks
 * the choice again (400 on `body.assigneeId` for someone who may not decide). The current assignee
 * is left out (the same assignee again is a 409).
 */
export function reassignCandidates(input: { users: ManagedUser[] | null; csms: Array<User | null>; items: InboxItem[]; currentAssigneeId: string | null }): Candidate[] {
  const found = new Map<string, Candidate>();
  if (input.users) {
    for (const u of input.users) if (u.active && u.role !== 'viewer') found.set(u.id, { id: u.id, name: u.name, role: u.role });
  } else {
    for (const u of input.csms) if (u && u.role !== 'viewer') found.set(u.id, { id: u.id, name: u.name, role: u.role });
    for (const i of input.items) if (i.assigneeId && i.assigneeName && !found.has(i.assigneeId)) found.set(i.assigneeId, { id: i.assigneeId, name: i.assigneeName, role: '' });
  }
  if (input.currentAssigneeId) found.delete(input.currentAssigneeId);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The next selection after moving by `step` (wrapping is not useful in a due-ordered list: it stops at the ends). */
export function move(ids: string[], selected: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = selected ? ids.indexOf(selected) : -1;
  if (at === -1) return ids[0] ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))] ?? null;
}
