import type { Run, RunAction, RunMilestone, SentEmail, Stakeholder, StakeholderRole, StoredEvent } from '@cairn/contracts';

/**
 * Where an account stands on a success milestone, from what its runs recorded:
 * - `on_track`: reached by its target day;
 * - `behind`: reached, but after its target day;
 * - `stuck`: the run arrived and the milestone's criteria did not hold (missed): the customer has
 *   not done what it needs, and the playbook's intervention is what moves them now.
 * A run shows its worst milestone: stuck over behind over on track.
 */
export type MilestoneState = 'on_track' | 'behind' | 'stuck';

export const MILESTONE_RULE = 'On track: reached by its target day. Behind: reached after it. Stuck: the run arrived and its criteria did not hold (missed).';

const STATE_OF: Record<RunMilestone['status'], MilestoneState> = { reached_on_time: 'on_track', reached_late: 'behind', missed: 'stuck' };
const RANK: Record<MilestoneState, number> = { on_track: 0, behind: 1, stuck: 2 };
export const MILESTONE_WORDS: Record<MilestoneState, string> = { on_track: 'On track', behind: 'Behind', stuck: 'Stuck' };

export function milestoneState(status: RunMilestone['status']): MilestoneState {
  return STATE_OF[status];
}

export interface MilestoneRow {
  runId: string;
  playbookName: string;
  name: string;
  targetDay: number;
  day: number;
  state: MilestoneState;
  reason: string;
}

/** Each run's milestones, newest run first; within a run, in the order they were recorded. */
export function milestoneRows(runs: Array<Pick<Run, 'id' | 'playbookName' | 'milestones'>>): MilestoneRow[] {
  return runs.flatMap((run) =>
    [...run.milestones]
      .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))
      .map((m) => ({ runId: run.id, playbookName: run.playbookName, name: m.name, targetDay: m.targetDay, day: m.day, state: milestoneState(m.status), reason: m.reason })),
  );
}

/** The worst state among `rows` (null with none: no milestone reached or missed yet). */
export function worstState(rows: Array<{ state: MilestoneState }>): MilestoneState | null {
  return rows.reduce<MilestoneState | null>((worst, r) => (worst === null || RANK[r.state] > RANK[worst] ? r.state : worst), null);
}

/** The people map's roles in the order a CSM reads them, with their labels. */
export const ROLE_ORDER: Array<[StakeholderRole, string]> = [
  ['champion', 'Champion'],
  ['sponsor', 'Executive sponsor'],
  ['economic_buyer', 'Economic buyer'],
  ['contract_holder', 'Contract holder'],
  ['product_owner', 'Product owner'],
  ['program_leader', 'Program leader'],
  ['admin', 'Admin'],
  ['user', 'Users'],
];

/** Roles an account must have someone in: without them, plays that go to them have no one to reach. */
export const REQUIRED_ROLES: StakeholderRole[] = ['champion', 'sponsor'];

/** The active people grouped by role (primary first, then by name), and the required roles nobody holds. */
export function peopleMap(stakeholders: Stakeholder[]): { groups: Array<{ role: StakeholderRole; label: string; people: Stakeholder[] }>; gaps: Array<{ role: StakeholderRole; label: string }> } {
  const active = stakeholders.filter((s) => s.status === 'active');
  const groups = ROLE_ORDER.map(([role, label]) => ({
    role,
    label,
    people: active.filter((s) => s.role === role).sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.name.localeCompare(b.name)),
  })).filter((g) => g.people.length > 0);
  const gaps = ROLE_ORDER.filter(([role]) => REQUIRED_ROLES.includes(role) && !active.some((s) => s.role === role)).map(([role, label]) => ({ role, label }));
  return { groups, gaps };
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: 'email' | 'action' | 'event';
  title: string;
  detail: string;
  runId: string | null;
}

/**
 * Touches (emails sent, other run actions) and account events in one list, newest first. Events
 * come a page at a time: while older pages remain (`moreEvents`), touches older than the oldest
 * event loaded wait for them, so the list never skips what lies between.
 */
export function mergeTimeline(input: { events: StoredEvent[]; moreEvents: boolean; emails: SentEmail[]; actions: Array<RunAction & { runId: string }> }): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...input.events.map((e) => ({ id: `event-${e.id}`, at: e.occurredAt, kind: 'event' as const, title: e.type, detail: eventDetail(e), runId: null })),
    ...input.emails
      .filter((m) => m.sentAt)
      .map((m) => ({ id: `email-${m.id}`, at: m.sentAt as string, kind: 'email' as const, title: `Email to ${m.toAddress}: ${m.subject}`, detail: m.reason, runId: m.runId })),
    ...input.actions.map((a) => ({ id: `action-${a.id}`, at: a.completedAt ?? a.createdAt, kind: 'action' as const, title: `${a.kind.replace('_', ' ')} → ${a.target} (${a.status})`, detail: a.reason, runId: a.runId })),
  ];
  const oldestEvent = input.events.reduce<string | null>((oldest, e) => (oldest === null || e.occurredAt < oldest ? e.occurredAt : oldest), null);
  const shown = input.moreEvents && oldestEvent ? entries.filter((e) => Date.parse(e.at) >= Date.parse(oldestEvent)) : entries;
  return shown.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id));
}

function eventDetail(e: StoredEvent): string {
  const reason = typeof e.data.reason === 'string' ? e.data.reason : null;
  if (reason) return reason;
  const keys = Object.entries(e.data).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
  return keys
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

/** ARR as money ("$186,000"); the raw value when it is not a number. */
export function formatMoney(value: unknown, currency = 'USD'): string {
  if (typeof value !== 'number') return value == null ? '—' : String(value);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
}
