import { type AccountEntity, repositories } from '@cairn/db';
import { type AccountSnapshot, accountSnapshotOf, type EventMatch, eventMatches, eventMatchSchema } from '@cairn/playbook';
import type { AccountEvent } from '@cairn/workflows';
import type { EntityManager } from 'typeorm';

/** A published playbook that starts on an event: `{ on: 'event' }`, or a segment entered or exited (read from its latest version's entry step). */
export interface EventTrigger {
  playbookId: string;
  playbookKey: string;
  version: number;
  match: EventMatch;
}

/** Every published playbook whose latest version starts on an event (segment triggers included; archived ones start nothing). */
export async function eventTriggers(em: EntityManager): Promise<EventTrigger[]> {
  return (await repositories(em).playbooks.latestTriggers()).flatMap((row) => {
    const match = triggerEvent(row.trigger as { on?: unknown; event?: unknown; segment?: unknown } | null);
    return match ? [{ playbookId: row.playbookId, playbookKey: row.playbookKey, version: row.version, match }] : [];
  });
}

/**
 * The event a trigger starts on: its own for `on: event`; entering or leaving a segment is the
 * `segment.entered` / `segment.exited` event Cairn raises for that segment. Null for the others.
 */
export function triggerEvent(trigger: { on?: unknown; event?: unknown; segment?: unknown } | null): EventMatch | null {
  if (trigger?.on === 'event') {
    const match = eventMatchSchema.safeParse(trigger.event);
    return match.success ? match.data : null;
  }
  if ((trigger?.on === 'segment_entered' || trigger?.on === 'segment_exited') && typeof trigger.segment === 'string') {
    return { type: trigger.on === 'segment_entered' ? 'segment.entered' : 'segment.exited', where: { field: 'event.segment', op: 'eq', value: trigger.segment } };
  }
  return null;
}

/** What conditions read about an account (`account.*`, `metric.*`, `segment`, `role.*`), as the worker loads it. */
export function accountSnapshot(account: AccountEntity, segmentKey: string, roles: readonly string[]): AccountSnapshot {
  return accountSnapshotOf({ name: account.name, segment: segmentKey, timezone: account.timezone, attributes: account.attributes, metrics: account.metrics, roles, healthStatus: account.healthStatus, healthScore: account.healthScore });
}

/**
 * True when the event starts this trigger: same type, and its `where` (if any) holds for the event
 * and the account (which the caller loads only for triggers with a `where`).
 */
export function triggerMatches(trigger: EventTrigger, event: AccountEvent, account: AccountSnapshot | undefined): boolean {
  if (trigger.match.type !== event.type) return false;
  if (!trigger.match.where) return true;
  if (!account) throw new Error(`trigger of ${trigger.playbookKey} has a condition but the account was not loaded`);
  return eventMatches(trigger.match, event, { account, steps: {}, milestones: {} });
}

/** What enrolling an account because of an event answered. */
export type EventEnrollment = { status: 'enrolled'; runId: string; workflowId: string; version: number } | { status: 'skipped'; code: string; reason: string; runId: string | null };

/**
 * Enrolls an account in an event-triggered playbook, delivering the event with the start
 * (signal-with-start). The implementation (event-enroller.ts) wraps `enrollAccount` of
 * `@cairn/enrollment`; tests replace it to watch what the routing asks for.
 */
export interface EventEnroller {
  enrollWithEvent(input: { accountId: string; playbookId: string; event: AccountEvent; reason: string }): Promise<EventEnrollment>;
}

export const EVENT_ENROLLER = Symbol('EVENT_ENROLLER');
