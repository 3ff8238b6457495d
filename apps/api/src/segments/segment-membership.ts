import type { NormalizedEvent } from '@cairn/contracts';
import { type MembershipChange, type PendingNotice, repositories } from '@cairn/db';
import { type AccountSnapshot, explainCondition, explainRule, membershipChanges, membershipOf, type SegmentDefinition } from '@cairn/playbook';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit.service';
import { ServiceUnavailableError } from '../common/errors';
import { EventsService } from '../events/events.service';

/** Serializes membership writes across API instances (a transaction-level advisory lock). */
const MEMBERSHIP_LOCK = 7_264_001;
const NOTICE_BATCH = 500;

export interface RefreshResult {
  accounts: number;
  entered: number;
  exited: number;
}

/**
 * Live segment membership: recomputes which segments accounts are in from their data and the
 * segments' rules, writes what changed (and each account's own segment) in one transaction, then
 * announces each entry and exit as an account event (`segment.entered` / `segment.exited`) through
 * event ingestion, so running playbooks and segment triggers react. An announcement that cannot go
 * out (Temporal down) stays pending and goes with the next refresh or sweep: never lost, never twice.
 */
@Injectable()
export class SegmentMembership {
  private readonly logger = new Logger('Segments');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventsService) private readonly events: EventsService,
  ) {}

  /** Recomputes these accounts (every account when null) and announces the changes; announcements that fail are left for later. */
  async refresh(accountIds: readonly string[] | null, nowMs = Date.now()): Promise<RefreshResult> {
    const result = await this.recompute(accountIds, nowMs);
    try {
      await this.announcePending();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      this.logger.warn(`Segment changes are saved but not announced yet (${error.message}); the next refresh or sweep sends them`);
    }
    return result;
  }

  /** Writes the membership these accounts have now; returns the counts. */
  recompute(accountIds: readonly string[] | null, nowMs = Date.now()): Promise<RefreshResult> {
    return this.dataSource.transaction((em) => recomputeMembership(em, accountIds, nowMs));
  }

  /** Sends every pending entered/exited event; a membership is marked announced once its event is stored (or was already). */
  async announcePending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const notices = await repositories(this.dataSource.manager).segments.pendingNotices(NOTICE_BATCH);
      if (notices.length === 0) return sent;
      await this.events.ingest(SEGMENT_ANNOUNCER, { batch: true, events: notices.map(toEvent) });
      await repositories(this.dataSource.manager).segments.markNotified(notices);
      sent += notices.length;
      if (notices.length < NOTICE_BATCH) return sent;
    }
  }
}

/** Who the audit log names for the entered/exited events Cairn sends itself. */
const SEGMENT_ANNOUNCER: AuditActor = { type: 'system', id: null, name: 'Cairn (segment membership)', requestId: null };

/**
 * Recomputes the membership of these accounts (every account when null) from their data and the
 * segments' rules, and writes what changed, in the caller's transaction (serialized across
 * instances by an advisory lock). Announcing the changes is the caller's next step.
 */
export async function recomputeMembership(em: EntityManager, accountIds: readonly string[] | null, nowMs = Date.now()): Promise<RefreshResult> {
  await em.query('SELECT pg_advisory_xact_lock($1)', [MEMBERSHIP_LOCK]);
  const db = repositories(em);
  const segments = await db.segments.definitions();
  const byId = new Map(segments.map((s) => [s.id, s]));
  const accounts = await db.segments.membershipAccounts(accountIds);
  const current = await db.segments.currentMemberships(accountIds === null ? null : accounts.map((a) => a.id));
  const changes: MembershipChange[] = [];
  for (const account of accounts) {
    const { members, primary } = membershipOf(segments, account.snapshot, account.assignedSegmentId, nowMs);
    const { entered, exited } = membershipChanges(current.get(account.id) ?? [], members);
    if (!entered.length && !exited.length && primary === account.segmentId) continue;
    changes.push({
      accountId: account.id,
      entered: entered.map((id) => ({ segmentId: id, reason: enteredReason(byId.get(id) as SegmentDefinition, account, nowMs) })),
      exited: exited.map((id) => ({ segmentId: id, reason: exitedReason(byId.get(id), account, nowMs) })),
      primarySegmentId: primary,
    });
  }
  await db.segments.apply(changes, new Date(nowMs));
  return { accounts: accounts.length, entered: changes.reduce((n, c) => n + c.entered.length, 0), exited: changes.reduce((n, c) => n + c.exited.length, 0) };
}

function enteredReason(segment: SegmentDefinition, account: { snapshot: AccountSnapshot }, nowMs: number): string {
  return segment.rule ? `Rule holds: ${explainCondition(segment.rule, { account: account.snapshot, steps: {}, milestones: {}, nowMs })}` : 'Assigned to the segment';
}

function exitedReason(segment: SegmentDefinition | undefined, account: { snapshot: AccountSnapshot }, nowMs: number): string {
  if (!segment) return 'The segment was archived';
  if (!segment.rule) return 'Assigned to another segment';
  const failing = explainRule(segment.rule, account.snapshot, nowMs).filter((c) => !c.holds);
  return `Rule no longer holds${failing.length ? ` (not true now: ${failing.map((c) => c.condition).join('; ')})` : ''}`;
}

function toEvent(notice: PendingNotice): NormalizedEvent {
  return {
    source: 'cairn',
    account: { id: notice.accountId },
    type: `segment.${notice.kind}`,
    data: { segment: notice.segmentKey, segmentName: notice.segmentName, touchModel: notice.touchModel, reason: notice.reason },
    occurredAt: new Date(notice.at).toISOString(),
    idempotencyKey: `segment.${notice.kind}:${notice.membershipId}`,
  };
}
