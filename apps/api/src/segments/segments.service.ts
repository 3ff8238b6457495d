import type {
  AccountSegments,
  AssignSegmentRequest,
  CreateSegmentRequest,
  ListAccountSegmentsQuery,
  ListSegmentMembersQuery,
  ListSegmentsQuery,
  PreviewSegmentRequest,
  Segment,
  SegmentMemberPage,
  SegmentMembershipPage,
  SegmentPage,
  SegmentPreview,
  UpdateSegmentRequest,
} from '@cairn/contracts';
import { AccountEntity, type Repositories, repositories, SegmentEntity } from '@cairn/db';
import { explainRule, ruleMatches } from '@cairn/playbook';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { RequestPrincipal } from '../auth/principal';
import { assertMayActOn } from '../auth/row-access';
import { decodeCursor, decodeIntKeyCursor, decodeKeyCursor, encodeCursor, encodeKeyCursor } from '../common/cursor';
import { pageOf } from '../common/page';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { SegmentMembership } from './segment-membership';
import { toSegment } from './segments.mapper';

/** What a segment key in a cursor may look like (keys are unique, so they break priority ties). */
const SEGMENT_KEY = /^[a-z0-9][a-z0-9_-]{0,127}$/;

/**
 * Segments: rules over account data with a coverage model (tech, low, mid, high touch), manual
 * segments accounts are assigned to, a preview of who a rule matches, and live membership (every
 * change of a segment recomputes it and announces who entered and left).
 */
@Injectable()
export class SegmentsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SegmentMembership) private readonly membership: SegmentMembership,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** Segments by priority (ties by key, so the order is the same on every call), filtered; see listSegmentsQuerySchema. */
  async list({ limit, cursor, ...filter }: ListSegmentsQuery): Promise<SegmentPage> {
    const after = cursor === undefined ? undefined : decodeIntKeyCursor(cursor, SEGMENT_KEY);
    const found = await this.db.segments.page(filter, { take: limit + 1, after: after && { priority: after.key, key: after.id } });
    return pageOf(
      found,
      limit,
      ({ segment, memberCount }) => toSegment(segment, memberCount),
      ({ segment }) => encodeKeyCursor(String(segment.priority), segment.key),
    );
  }

  async get(id: string): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    return toSegment(segment, (await this.db.segments.memberCounts([id])).get(id) ?? 0);
  }

  async create(principal: RequestPrincipal, request: CreateSegmentRequest): Promise<Segment> {
    const segment = new SegmentEntity();
    segment.key = request.key;
    segment.name = request.name;
    segment.description = request.description;
    segment.touchModel = request.touchModel;
    segment.priority = request.priority;
    segment.rule = request.rule;
    segment.archivedAt = null;
    let saved: SegmentEntity;
    try {
      saved = await this.dataSource.transaction(async (em) => {
        const created = await em.save(segment);
        await this.audit.record(em, principal, {
          action: 'segment.created',
          entity: { type: 'segment', id: created.id },
          summary: `${principal.name} created the segment "${created.name}" (${created.key}, ${created.rule ? 'by rule' : 'manual'})`,
          changes: { after: { key: created.key, name: created.name, touchModel: created.touchModel, priority: created.priority, rule: created.rule } },
        });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A segment with key "${request.key}" already exists`, { cause: error });
      throw error;
    }
    if (saved.rule) await this.membership.refresh(null);
    return this.get(saved.id);
  }

  /** Changes what is given; a new rule or priority recomputes every account's membership. */
  async update(principal: RequestPrincipal, id: string, change: UpdateSegmentRequest): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    if (segment.archivedAt) throw new ConflictError(`Segment "${segment.key}" is archived`);
    if (change.rule === null && segment.rule) {
      throw new ConflictError(`Segment "${segment.key}" is defined by a rule; a rule segment cannot become manual (create a manual segment instead)`);
    }
    if (change.rule && !segment.rule && (await this.assignedCount(id)) > 0) {
      throw new ConflictError(`Accounts are assigned to the manual segment "${segment.key}"; assign them elsewhere before giving it a rule`);
    }
    const before = { name: segment.name, description: segment.description, touchModel: segment.touchModel, priority: segment.priority, rule: segment.rule };
    if (change.name !== undefined) segment.name = change.name;
    if (change.description !== undefined) segment.description = change.description;
    if (change.touchModel !== undefined) segment.touchModel = change.touchModel;
    if (change.priority !== undefined) segment.priority = change.priority;
    if (change.rule !== undefined) segment.rule = change.rule;
    await this.dataSource.transaction(async (em) => {
      await em.save(segment);
      await this.audit.record(em, principal, {
        action: 'segment.updated',
        entity: { type: 'segment', id },
        summary: `${principal.name} changed the segment "${segment.name}": ${Object.keys(change).join(', ')}`,
        changes: { before, after: { name: segment.name, description: segment.description, touchModel: segment.touchModel, priority: segment.priority, rule: segment.rule } },
      });
    });
    if (change.rule !== undefined || change.priority !== undefined) await this.membership.refresh(null);
    return this.get(id);
  }

  /** Archives a segment: its members leave it (announced); a manual segment accounts are assigned to cannot be archived. */
  async archive(principal: RequestPrincipal, id: string): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    if (segment.archivedAt) return this.get(id);
    const assigned = await this.assignedCount(id);
    if (assigned > 0) throw new ConflictError(`${assigned} account${assigned === 1 ? ' is' : 's are'} assigned to "${segment.key}"; assign ${assigned === 1 ? 'it' : 'them'} to another segment first`);
    segment.archivedAt = new Date();
    await this.dataSource.transaction(async (em) => {
      await em.save(segment);
      await this.audit.record(em, principal, {
        action: 'segment.archived',
        entity: { type: 'segment', id },
        summary: `${principal.name} archived the segment "${segment.name}" (${segment.key})`,
      });
    });
    await this.membership.refresh(null);
    return this.get(id);
  }

  /** Who the rule matches now, with the checks that say why, and the accounts one comparison short of it. */
  async preview({ rule, limit }: PreviewSegmentRequest): Promise<SegmentPreview> {
    const nowMs = Date.now();
    const accounts = await this.db.segments.membershipAccounts(null);
    const keys = new Map((await this.db.segments.all()).map((segment) => [segment.id, segment.key]));
    const matching: SegmentPreview['accounts'] = [];
    const nearMisses: SegmentPreview['nearMisses'] = [];
    let count = 0;
    for (const account of accounts) {
      const entry = () => ({ accountId: account.id, name: account.name, segment: keys.get(account.segmentId) ?? '', checks: explainRule(rule, account.snapshot, nowMs) });
      if (ruleMatches(rule, account.snapshot, nowMs)) {
        count++;
        if (matching.length < limit) matching.push(entry());
      } else if (nearMisses.length < limit) {
        const e = entry();
        if (e.checks.filter((c) => !c.holds).length === 1) nearMisses.push(e);
      }
    }
    return { total: accounts.length, matching: count, accounts: matching, nearMisses };
  }

  async members(id: string, { limit, cursor }: ListSegmentMembersQuery): Promise<SegmentMemberPage> {
    const position = cursor === undefined ? undefined : decodeKeyCursor(cursor);
    if (!(await this.db.segments.findById(id))) throw new NotFoundError('Segment', id);
    const found = await this.db.segments.members(id, { take: limit + 1, after: position && { name: position.key, id: position.id } });
    return pageOf(
      found,
      limit,
      (m) => ({ accountId: m.accountId, name: m.name, enteredAt: new Date(m.enteredAt).toISOString(), reason: m.reason }),
      (last) => encodeKeyCursor(last.name, last.accountId),
    );
  }

  /** The account's own segment and the manual one it is assigned to. */
  async segmentsOf(accountId: string): Promise<AccountSegments> {
    const account = await this.dataSource.manager.findOne(AccountEntity, { where: { id: accountId }, relations: { segment: true, assignedSegment: true } });
    if (!account?.segment || !account.assignedSegment) throw new NotFoundError('Account', accountId);
    const ref = (s: SegmentEntity) => ({ id: s.id, key: s.key, name: s.name });
    return { segment: ref(account.segment), assignedSegment: ref(account.assignedSegment) };
  }

  /** Every membership the account had, newest entry first (then id); `current` keeps those it is in now (true) or has left (false). */
  async historyOf(accountId: string, { limit, cursor, current }: ListAccountSegmentsQuery): Promise<SegmentMembershipPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (!(await this.db.accounts.exists(accountId))) throw new NotFoundError('Account', accountId);
    const found = await this.db.segments.historyOf(accountId, { current }, { take: limit + 1, after });
    return pageOf(
      found,
      limit,
      (m) => ({
        id: m.id,
        segmentId: m.segmentId,
        key: m.segmentKey,
        name: m.segmentName,
        enteredAt: new Date(m.enteredAt).toISOString(),
        enteredReason: m.enteredReason,
        exitedAt: m.exitedAt ? new Date(m.exitedAt).toISOString() : null,
        exitedReason: m.exitedReason,
      }),
      (last) => encodeCursor(new Date(last.enteredAt), last.id),
    );
  }

  /**
   * Assigns an account to a manual segment; its membership (and its own segment) follow. An account
   * edit: a CSM on accounts they own, a CS manager on their team's (403 otherwise), audited.
   */
  async assign(principal: RequestPrincipal, accountId: string, { segmentKey }: AssignSegmentRequest): Promise<AccountSegments> {
    const segment = await this.db.segments.findByKey(segmentKey);
    if (!segment || segment.archivedAt) {
      throw new ValidationError(`No segment "${segmentKey}"`, [{ path: 'body.segmentKey', code: 'unknown_segment', message: `No active segment has the key "${segmentKey}"` }]);
    }
    if (segment.rule) {
      throw new ValidationError(`"${segmentKey}" is a rule segment`, [{ path: 'body.segmentKey', code: 'rule_segment', message: 'Accounts enter a rule segment when its rule matches them; assign them to a manual segment' }]);
    }
    await this.dataSource.transaction(async (em) => {
      const account = await em.findOne(AccountEntity, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw new NotFoundError('Account', accountId);
      const ownership = await repositories(em).accounts.ownership(accountId);
      if (!ownership) throw new NotFoundError('Account', accountId);
      assertMayActOn(principal, 'accounts:write', ownership, 'change accounts');
      if (account.assignedSegmentId === segment.id) return;
      await em.update(AccountEntity, { id: accountId }, { assignedSegmentId: segment.id });
      await this.audit.record(em, principal, {
        action: 'account.segment_assigned',
        entity: { type: 'account', id: accountId },
        summary: `${principal.name} assigned ${account.name} to the segment "${segment.name}"`,
        changes: { before: { assignedSegmentId: account.assignedSegmentId }, after: { assignedSegmentId: segment.id, segmentKey } },
      });
    });
    await this.membership.refresh([accountId]);
    return this.segmentsOf(accountId);
  }

  private async assignedCount(segmentId: string): Promise<number> {
    return this.dataSource.manager.countBy(AccountEntity, { assignedSegmentId: segmentId });
  }
}
