import { type AccountSnapshot, accountSnapshotOf, type Condition, type SegmentDefinition } from '@cairn/playbook';
import { type EntityManager, In, IsNull } from 'typeorm';
import { containsPattern, type KeysetPage } from '../common/keyset';
import { SegmentMembershipEntity } from './segment-membership.entity';
import { SegmentEntity } from './segment.entity';

/** An account as membership reads it: its data (what rules read), its assigned and current segments. */
export interface MembershipAccountRow {
  id: string;
  name: string;
  segmentId: string;
  assignedSegmentId: string;
  snapshot: AccountSnapshot;
}

/** A change of membership to write: segments the account enters and leaves, and its own segment after. */
export interface MembershipChange {
  accountId: string;
  entered: Array<{ segmentId: string; reason: string }>;
  exited: Array<{ segmentId: string; reason: string }>;
  primarySegmentId: string;
}

/** An entered or exited membership whose event has not gone out yet. */
export interface PendingNotice {
  membershipId: string;
  kind: 'entered' | 'exited';
  accountId: string;
  segmentId: string;
  segmentKey: string;
  segmentName: string;
  touchModel: string;
  reason: string;
  at: Date;
}

export interface SegmentWithCount {
  segment: SegmentEntity;
  memberCount: number;
}


/** Segments, their rules and their live membership. */
export class SegmentsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Every segment, archived ones too, by priority. */
  all(): Promise<SegmentEntity[]> {
    return this.em.find(SegmentEntity, { order: { priority: 'ASC', key: 'ASC' } });
  }

  /** Segments matching the filter by priority (then key, which is unique, in byte order), after `page.after`, with their member counts. */
  async page(
    filter: { includeArchived?: boolean; kind?: 'rule' | 'manual'; touchModel?: string; q?: string },
    page: { take: number; after?: { priority: number; key: string } },
  ): Promise<SegmentWithCount[]> {
    const q = this.em.createQueryBuilder(SegmentEntity, 's').orderBy('s.priority', 'ASC').addOrderBy('s.key COLLATE "C"', 'ASC').limit(page.take);
    if (!filter.includeArchived) q.andWhere('s.archived_at IS NULL');
    if (filter.kind === 'rule') q.andWhere('s.rule IS NOT NULL');
    if (filter.kind === 'manual') q.andWhere('s.rule IS NULL');
    if (filter.touchModel) q.andWhere('s.touch_model = :touchModel', { touchModel: filter.touchModel });
    if (filter.q) q.andWhere('(s.name ILIKE :q OR s.key ILIKE :q)', { q: containsPattern(filter.q) });
    if (page.after) q.andWhere('(s.priority, s.key COLLATE "C") > (:priority::int, :key::text COLLATE "C")', page.after);
    const segments = await q.getMany();
    const counts = await this.memberCounts(segments.map((s) => s.id));
    return segments.map((segment) => ({ segment, memberCount: counts.get(segment.id) ?? 0 }));
  }

  findById(id: string): Promise<SegmentEntity | null> {
    return this.em.findOneBy(SegmentEntity, { id });
  }

  findByKey(key: string): Promise<SegmentEntity | null> {
    return this.em.findOneBy(SegmentEntity, { key });
  }

  /** Active segments by key, split into manual ones (what an account may be assigned to) and rule ones. */
  async assignable(): Promise<{ manual: Map<string, string>; rule: Set<string> }> {
    const segments = await this.em.find(SegmentEntity, { where: { archivedAt: IsNull() }, select: { id: true, key: true, rule: true }, order: { key: 'ASC' } });
    return { manual: new Map(segments.filter((s) => !s.rule).map((s) => [s.key, s.id])), rule: new Set(segments.filter((s) => s.rule).map((s) => s.key)) };
  }

  async memberCounts(segmentIds: readonly string[]): Promise<Map<string, number>> {
    if (segmentIds.length === 0) return new Map();
    const rows: Array<{ id: string; n: number }> = await this.em.query(
      `SELECT segment_id AS id, count(*)::int AS n FROM segment_memberships WHERE exited_at IS NULL AND segment_id = ANY($1::uuid[]) GROUP BY segment_id`,
      [segmentIds],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /** The segments membership is computed over: every one not archived. */
  async definitions(): Promise<SegmentDefinition[]> {
    const segments = await this.em.find(SegmentEntity, { where: { archivedAt: IsNull() }, select: { id: true, key: true, priority: true, rule: true } });
    return segments.map((s) => ({ id: s.id, key: s.key, priority: s.priority, rule: s.rule as Condition | null }));
  }

  /** Accounts with what rules read (attributes, metrics, people-map roles, timezone); all of them when `ids` is null. */
  async membershipAccounts(ids: readonly string[] | null): Promise<MembershipAccountRow[]> {
    const rows: Array<{ id: string; name: string; segmentId: string; assignedSegmentId: string; timezone: string; attributes: Record<string, string | number | boolean | null>; metrics: Record<string, unknown>; roles: string[]; healthStatus: string | null; healthScore: number | null }> =
      await this.em.query(
        `SELECT a.id, a.name, a.segment_id AS "segmentId", a.assigned_segment_id AS "assignedSegmentId", a.timezone, a.attributes, a.metrics,
                a.health_status AS "healthStatus", a.health_score AS "healthScore",
                ARRAY(SELECT DISTINCT p.role FROM stakeholders p WHERE p.account_id = a.id AND p.status = 'active' ORDER BY p.role) AS roles
         FROM accounts a
         WHERE $1::uuid[] IS NULL OR a.id = ANY($1::uuid[])
         ORDER BY a.name, a.id`,
        [ids === null ? null : [...ids]],
      );
    return rows.map((r) => ({ id: r.id, name: r.name, segmentId: r.segmentId, assignedSegmentId: r.assignedSegmentId, snapshot: accountSnapshotOf({ ...r, segment: '' }) }));
  }

  /** account id → the segments it is in now. */
  async currentMemberships(accountIds: readonly string[] | null): Promise<Map<string, Set<string>>> {
    const rows: Array<{ accountId: string; segmentId: string }> = await this.em.query(
      `SELECT account_id AS "accountId", segment_id AS "segmentId" FROM segment_memberships
       WHERE exited_at IS NULL AND ($1::uuid[] IS NULL OR account_id = ANY($1::uuid[]))`,
      [accountIds === null ? null : [...accountIds]],
    );
    const byAccount = new Map<string, Set<string>>();
    for (const r of rows) byAccount.set(r.accountId, (byAccount.get(r.accountId) ?? new Set()).add(r.segmentId));
    return byAccount;
  }

  /** Writes entered and exited memberships and each account's own segment, in set-based statements. */
  async apply(changes: readonly MembershipChange[], at: Date): Promise<void> {
    const entered = changes.flatMap((c) => c.entered.map((e) => ({ accountId: c.accountId, ...e })));
    const exited = changes.flatMap((c) => c.exited.map((e) => ({ accountId: c.accountId, ...e })));
    if (exited.length) {
      await this.em.query(
        `UPDATE segment_memberships m SET exited_at = $1, exited_reason = x.reason
         FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS x(account_id, segment_id, reason)
         WHERE m.account_id = x.account_id AND m.segment_id = x.segment_id AND m.exited_at IS NULL`,
        [at, exited.map((e) => e.accountId), exited.map((e) => e.segmentId), exited.map((e) => e.reason)],
      );
    }
    if (entered.length) {
      await this.em.query(
        `INSERT INTO segment_memberships (account_id, segment_id, entered_at, entered_reason)
         SELECT x.account_id, x.segment_id, $1, x.reason FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS x(account_id, segment_id, reason)
         ON CONFLICT (segment_id, account_id) WHERE exited_at IS NULL DO NOTHING`,
        [at, entered.map((e) => e.accountId), entered.map((e) => e.segmentId), entered.map((e) => e.reason)],
      );
    }
    if (changes.length) {
      await this.em.query(
        `UPDATE accounts a SET segment_id = x.segment_id, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[]) AS x(account_id, segment_id)
         WHERE a.id = x.account_id AND a.segment_id IS DISTINCT FROM x.segment_id`,
        [changes.map((c) => c.accountId), changes.map((c) => c.primarySegmentId)],
      );
    }
  }

  /** Entered and exited memberships whose events have not gone out, oldest first. */
  async pendingNotices(limit: number): Promise<PendingNotice[]> {
    return this.em.query(
      `SELECT * FROM (
         SELECT m.id AS "membershipId", 'entered' AS kind, m.account_id AS "accountId", s.id AS "segmentId", s.key AS "segmentKey", s.name AS "segmentName",
                s.touch_model AS "touchModel", m.entered_reason AS reason, m.entered_at AS at
         FROM segment_memberships m JOIN segments s ON s.id = m.segment_id WHERE NOT m.entered_notified
         UNION ALL
         SELECT m.id, 'exited', m.account_id, s.id, s.key, s.name, s.touch_model, m.exited_reason, m.exited_at
         FROM segment_memberships m JOIN segments s ON s.id = m.segment_id WHERE m.exited_at IS NOT NULL AND NOT m.exited_notified
       ) n ORDER BY at, kind DESC LIMIT $1`,
      [limit],
    );
  }

  async markNotified(notices: ReadonlyArray<Pick<PendingNotice, 'membershipId' | 'kind'>>): Promise<void> {
    const ids = (kind: PendingNotice['kind']) => notices.filter((n) => n.kind === kind).map((n) => n.membershipId);
    if (ids('entered').length) await this.em.update(SegmentMembershipEntity, { id: In(ids('entered')) }, { enteredNotified: true });
    if (ids('exited').length) await this.em.update(SegmentMembershipEntity, { id: In(ids('exited')) }, { exitedNotified: true });
  }

  /** A segment's current members, by name; `after` is the last name/id of the previous page. */
  async members(segmentId: string, page: KeysetPage<{ name: string }>): Promise<Array<{ accountId: string; name: string; enteredAt: Date; reason: string }>> {
    return this.em.query(
      `SELECT a.id AS "accountId", a.name, m.entered_at AS "enteredAt", m.entered_reason AS reason
       FROM segment_memberships m JOIN accounts a ON a.id = m.account_id
       WHERE m.segment_id = $1 AND m.exited_at IS NULL AND ($2::text IS NULL OR (a.name, a.id) > ($2::text, $3::uuid))
       ORDER BY a.name, a.id LIMIT $4`,
      [segmentId, page.after?.name ?? null, page.after?.id ?? null, page.take],
    );
  }

  /** Accounts in any of these segments now (by key), each once: a playbook's audience. */
  async memberIdsOfKeys(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ id: string }> = await this.em.query(
      `SELECT DISTINCT m.account_id AS id FROM segment_memberships m JOIN segments s ON s.id = m.segment_id
       WHERE m.exited_at IS NULL AND s.key = ANY($1::text[]) ORDER BY 1`,
      [[...keys]],
    );
    return rows.map((r) => r.id);
  }

  /**
   * An account's memberships, current and past (or only current ones, or only past ones), newest
   * entry first (then id), after `page.after` (the entry time is read back at full precision).
   */
  async historyOf(accountId: string, filter: { current?: boolean }, page: KeysetPage<{ at: string }>): Promise<Array<SegmentMembershipEntity & { segmentKey: string; segmentName: string }>> {
    return this.em.query(
      `SELECT m.id, m.segment_id AS "segmentId", m.account_id AS "accountId", m.entered_at AS "enteredAt", m.entered_reason AS "enteredReason",
              m.exited_at AS "exitedAt", m.exited_reason AS "exitedReason", s.key AS "segmentKey", s.name AS "segmentName"
       FROM segment_memberships m JOIN segments s ON s.id = m.segment_id
       WHERE m.account_id = $1 AND ($2::boolean IS NULL OR (m.exited_at IS NULL) = $2::boolean)
         AND ($4::uuid IS NULL OR (m.entered_at, m.id) < (coalesce((SELECT k.entered_at FROM segment_memberships k WHERE k.id = $4::uuid), $3::timestamptz), $4::uuid))
       ORDER BY m.entered_at DESC, m.id DESC LIMIT $5`,
      [accountId, filter.current ?? null, page.after?.at ?? null, page.after?.id ?? null, page.take],
    );
  }
}
