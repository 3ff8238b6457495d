import type {
  AccountSegmentHistory,
  AssignSegmentRequest,
  CreateSegmentRequest,
  ListSegmentMembersQuery,
  ListSegmentsQuery,
  PreviewSegmentRequest,
  Segment,
  SegmentMemberPage,
  SegmentPreview,
  UpdateSegmentRequest,
} from '@cairn/contracts';
import { AccountEntity, type Repositories, repositories, SegmentEntity } from '@cairn/db';
import { explainRule, ruleMatches } from '@cairn/playbook';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors';
import { isUniqueViolation } from '../common/postgres-errors';
import { SegmentMembership } from './segment-membership';
import { toSegment } from './segments.mapper';

/** `[name, id]` of the last member on a page, as base64url. */
const encodeCursor = (member: { name: string; accountId: string }) => Buffer.from(JSON.stringify([member.name, member.accountId])).toString('base64url');

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { name, id };
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not one this API gave out', [{ path: 'query.cursor', code: 'invalid_cursor', message: 'Pass the nextCursor of the previous page unchanged' }]);
}

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
  ) {
    this.db = repositories(dataSource.manager);
  }

  async list({ includeArchived }: ListSegmentsQuery): Promise<Segment[]> {
    return (await this.db.segments.list({ includeArchived })).map(({ segment, memberCount }) => toSegment(segment, memberCount));
  }

  async get(id: string): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    return toSegment(segment, (await this.db.segments.memberCounts([id])).get(id) ?? 0);
  }

  async create(request: CreateSegmentRequest): Promise<Segment> {
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
      saved = await this.dataSource.manager.save(segment);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A segment with key "${request.key}" already exists`, { cause: error });
      throw error;
    }
    if (saved.rule) await this.membership.refresh(null);
    return this.get(saved.id);
  }

  /** Changes what is given; a new rule or priority recomputes every account's membership. */
  async update(id: string, change: UpdateSegmentRequest): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    if (segment.archivedAt) throw new ConflictError(`Segment "${segment.key}" is archived`);
    if (change.rule === null && segment.rule) {
      throw new ConflictError(`Segment "${segment.key}" is defined by a rule; a rule segment cannot become manual (create a manual segment instead)`);
    }
    if (change.rule && !segment.rule && (await this.assignedCount(id)) > 0) {
      throw new ConflictError(`Accounts are assigned to the manual segment "${segment.key}"; assign them elsewhere before giving it a rule`);
    }
    if (change.name !== undefined) segment.name = change.name;
    if (change.description !== undefined) segment.description = change.description;
    if (change.touchModel !== undefined) segment.touchModel = change.touchModel;
    if (change.priority !== undefined) segment.priority = change.priority;
    if (change.rule !== undefined) segment.rule = change.rule;
    await this.dataSource.manager.save(segment);
    if (change.rule !== undefined || change.priority !== undefined) await this.membership.refresh(null);
    return this.get(id);
  }

  /** Archives a segment: its members leave it (announced); a manual segment accounts are assigned to cannot be archived. */
  async archive(id: string): Promise<Segment> {
    const segment = await this.db.segments.findById(id);
    if (!segment) throw new NotFoundError('Segment', id);
    if (segment.archivedAt) return this.get(id);
    const assigned = await this.assignedCount(id);
    if (assigned > 0) throw new ConflictError(`${assigned} account${assigned === 1 ? ' is' : 's are'} assigned to "${segment.key}"; assign ${assigned === 1 ? 'it' : 'them'} to another segment first`);
    segment.archivedAt = new Date();
    await this.dataSource.manager.save(segment);
    await this.membership.refresh(null);
    return this.get(id);
  }

  /** Who the rule matches now, with the checks that say why, and the accounts one comparison short of it. */
  async preview({ rule, limit }: PreviewSegmentRequest): Promise<SegmentPreview> {
    const nowMs = Date.now();
    const accounts = await this.db.segments.membershipAccounts(null);
    const keys = new Map((await this.db.segments.list({ includeArchived: true })).map(({ segment }) => [segment.id, segment.key]));
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
    const after = cursor === undefined ? null : decodeCursor(cursor);
    if (!(await this.db.segments.findById(id))) throw new NotFoundError('Segment', id);
    const found = await this.db.segments.members(id, limit + 1, after);
    const page = found.slice(0, limit);
    return {
      members: page.map((m) => ({ accountId: m.accountId, name: m.name, enteredAt: new Date(m.enteredAt).toISOString(), reason: m.reason })),
      nextCursor: found.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  async historyOf(accountId: string): Promise<AccountSegmentHistory> {
    const account = await this.dataSource.manager.findOne(AccountEntity, { where: { id: accountId }, relations: { segment: true, assignedSegment: true } });
    if (!account?.segment || !account.assignedSegment) throw new NotFoundError('Account', accountId);
    const ref = (s: SegmentEntity) => ({ id: s.id, key: s.key, name: s.name });
    return {
      segment: ref(account.segment),
      assignedSegment: ref(account.assignedSegment),
      memberships: (await this.db.segments.historyOf(accountId)).map((m) => ({
        segmentId: m.segmentId,
        key: m.segmentKey,
        name: m.segmentName,
        enteredAt: new Date(m.enteredAt).toISOString(),
        enteredReason: m.enteredReason,
        exitedAt: m.exitedAt ? new Date(m.exitedAt).toISOString() : null,
        exitedReason: m.exitedReason,
      })),
    };
  }

  /** Assigns an account to a manual segment; its membership (and its own segment) follow. */
  async assign(accountId: string, { segmentKey }: AssignSegmentRequest): Promise<AccountSegmentHistory> {
    const segment = await this.db.segments.findByKey(segmentKey);
    if (!segment || segment.archivedAt) {
      throw new ValidationError(`No segment "${segmentKey}"`, [{ path: 'body.segmentKey', code: 'unknown_segment', message: `No active segment has the key "${segmentKey}"` }]);
    }
    if (segment.rule) {
      throw new ValidationError(`"${segmentKey}" is a rule segment`, [{ path: 'body.segmentKey', code: 'rule_segment', message: 'Accounts enter a rule segment when its rule matches them; assign them to a manual segment' }]);
    }
    const updated = await this.dataSource.manager.update(AccountEntity, { id: accountId }, { assignedSegmentId: segment.id });
    if (!updated.affected) throw new NotFoundError('Account', accountId);
    await this.membership.refresh([accountId]);
    return this.historyOf(accountId);
  }

  private async assignedCount(segmentId: string): Promise<number> {
    return this.dataSource.manager.countBy(AccountEntity, { assignedSegmentId: segmentId });
  }
}
