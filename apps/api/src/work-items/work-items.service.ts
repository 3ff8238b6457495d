import {
  type Approval,
  type ApprovalWithEngine,
  type CreateCommentRequest,
  type InboxItem,
  type InboxQuery,
  type ListCommentsQuery,
  mayActOn,
  mayReassign,
  type Page,
  type Permission,
  reachOf,
  type ReassignRequest,
  type RowOwnership,
  slaStateOf,
  snoozeProblem,
  type SnoozeRequest,
  type SnoozeResponse,
  type Task,
  type TaskWithEngine,
  type UserRole,
  type WorkItemComment,
  type WorkItemKind,
} from '@cairn/contracts';
import { type ApprovalEntity, type CommentKind, type Repositories, repositories, type TaskEntity, type WorkItemCommentEntity } from '@cairn/db';
import { type DeciderRole, reassignApprovalUpdate, reassignTaskUpdate } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource, type EntityManager } from 'typeorm';
import { toApproval } from '../approvals/approvals.mapper';
import { AuditService } from '../audit/audit.service';
import { RunDetails } from '../runs/run-details';
import type { RequestPrincipal } from '../auth/principal';
import { isoOrNull } from '../common/dates';
import { decodeCursor, decodeDueCursor, encodeCursor, encodeDueCursor } from '../common/cursor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../common/errors';
import { pageOf } from '../common/page';
import { fromTemporalError, refusalOf, TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';
import { runHandle } from '../temporal/run-handle';
import { toTask } from '../tasks/tasks.mapper';
import { type WorkItemNames, workItemNames } from './work-item-names';

/** What acting on each kind of item needs (route level; the row rule is checked here). */
const ACT: Record<WorkItemKind, Permission> = { approval: 'approvals:decide', task: 'tasks:complete' };
const OPEN: Record<WorkItemKind, string> = { approval: 'pending', task: 'open' };
const NOUN: Record<WorkItemKind, string> = { approval: 'Approval', task: 'Task' };

type Item = { kind: 'approval'; row: ApprovalEntity } | { kind: 'task'; row: TaskEntity };

/**
 * The approvals-and-tasks inbox and what people do on its items besides deciding: hand one to
 * someone else (which the run must accept: its validators decide who may decide), snooze it (which
 * the run never hears of: its SLA and escalation keep running), and discuss it in a thread.
 */
@Injectable()
export class WorkItemsService {
  private readonly db: Repositories;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(RunDetails) private readonly runDetails: RunDetails,
  ) {
    this.db = repositories(dataSource.manager);
  }

  /** One page of the inbox: pending approvals and open tasks, due first (undated last), then id. */
  async inbox(principal: RequestPrincipal, query: InboxQuery): Promise<Page<InboxItem>> {
    const now = new Date();
    const me = principal.kind === 'user' ? principal.id : null;
    const rows = await this.db.workItems.inbox({
      view: query.view,
      me,
      reach: { approval: reachOf(principal, 'approvals:decide'), task: reachOf(principal, 'tasks:complete') },
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.accountId ? { accountId: query.accountId } : {}),
      ...(query.playbookId ? { playbookId: query.playbookId } : {}),
      includeSnoozed: query.includeSnoozed,
      now,
      limit: query.limit + 1,
      ...(query.cursor ? { after: decodeDueCursor(query.cursor) } : {}),
    });
    const approvals = await this.db.approvals.findByIdsInOrder(rows.filter((r) => r.kind === 'approval').map((r) => r.id));
    const tasks = await this.db.tasks.findByIdsInOrder(rows.filter((r) => r.kind === 'task').map((r) => r.id));
    const byId = new Map<string, Item>([...approvals.map((row) => [row.id, { kind: 'approval', row }] as const), ...tasks.map((row) => [row.id, { kind: 'task', row }] as const)]);
    const items = rows.flatMap((r) => byId.get(r.id) ?? []);
    const names = await workItemNames(this.db, approvals, tasks);
    const counts = await this.db.workItems.commentCounts(items.map((i) => i.row.id));
    return pageOf(
      items,
      query.limit,
      (item) => toInboxItem(item, names, counts.get(item.row.id) ?? 0, now.getTime()),
      (last) => encodeDueCursor(last.row.dueAt, last.row.id),
    );
  }

  /**
   * Hands a pending approval or open task to another active person who may work it. In one
   * transaction with the row locked: the row rule (the assignee, their manager, ops, admins: else
   * 403), the target (400 on `body.assigneeId`), the new assignee with its audit entry and comment,
   * then the run's `reassign…` Update; if the run refuses (409 with its reason) or cannot be
   * reached (503), nothing is kept. The answer carries the engine's: what the Update returned, and
   * the run's live state asked once the reassignment is committed.
   */
  async reassign(principal: RequestPrincipal, kind: WorkItemKind, id: string, { assigneeId, comment }: ReassignRequest): Promise<ApprovalWithEngine | TaskWithEngine> {
    const { item: answer, run, result } = await this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const item = await this.lock(db, kind, id);
      const ownership = await this.ownership(db, item);
      if (!mayReassign(principal, ownership)) throw new ForbiddenError(`You may reassign only ${kind}s assigned to you or to the people you manage (ops and admins: any)`, ACT[kind]);
      if (principal.kind !== 'user' || principal.role === 'viewer') throw new Error(`unreachable: ${ACT[kind]} without a role that reassigns`);
      if (item.row.status !== OPEN[kind]) throw new ConflictError(`This ${kind} is already ${item.row.status}`);
      const target = await db.users.findById(assigneeId);
      const refuse = (message: string) => new ValidationError(message, [{ path: 'body.assigneeId', code: 'invalid_assignee', message }]);
      if (!target) throw refuse('No such person');
      if (!target.active) throw refuse(`${target.name} is deactivated`);
      // The new assignee must be able to act on it: any role that decides or completes does, once assigned.
      const asTarget = { kind: 'user' as const, id: target.id, name: target.name, role: target.role as UserRole };
      if (!mayActOn(asTarget, ACT[kind], { ...ownership, assigneeId: target.id, assigneeManagerId: target.managerId })) throw refuse(`${target.name} (${target.role}) may not work on ${kind}s`);
      if (target.id === item.row.assigneeId) throw new ConflictError(`This ${kind} is already assigned to ${target.name}`);
      const [run] = await db.runs.findByIds([item.row.runId]);
      if (!run) throw new Error(`${kind} ${id} points at a missing run ${item.row.runId}`);
      if (run.status !== 'running') throw new ConflictError(`The run of this ${kind} is ${run.status}; it no longer waits for it`);

      const before = item.row.assigneeId;
      const fromName = before ? ((await db.users.namesByIds([before])).get(before) ?? before) : 'nobody';
      if (kind === 'approval') await db.approvals.reassign(id, target.id);
      else await db.tasks.reassign(id, target.id);
      await this.audit.record(em, principal, {
        action: `${kind}.reassigned`,
        entity: { type: kind, id },
        summary: `${principal.name} reassigned "${item.row.title}" from ${fromName} to ${target.name}${comment ? `: ${comment}` : ''}`,
        changes: { before: { assigneeId: before }, after: { assigneeId: target.id, ...(comment ? { comment } : {}) } },
      });
      if (comment) await db.workItems.addComment({ itemKind: kind, itemId: id, kind: 'reassign', authorId: principal.id, body: comment });
      const by = { assigneeId: target.id, assigneeName: target.name, reassignedById: principal.id, reassignedByName: principal.name, reassignedByRole: principal.role satisfies DeciderRole };
      const result = await this.temporal.connection
        .withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
          kind === 'approval'
            ? runHandle(this.temporal, run).executeUpdate(reassignApprovalUpdate, { args: [{ approvalId: id, ...by }] })
            : runHandle(this.temporal, run).executeUpdate(reassignTaskUpdate, { args: [{ taskId: id, ...by }] }),
        )
        .catch((error: unknown) => {
          const refused = refusalOf(error);
          throw fromTemporalError(error, { notFound: `The run is no longer waiting for this ${kind}`, updateRefused: refused ? `The run did not accept this reassignment: ${refused}` : undefined });
        });
      return { item: await this.answer(db, kind, id), run, result };
    });
    return { ...answer, engine: { update: kind === 'approval' ? 'reassignApproval' : 'reassignTask', result, state: await this.runDetails.stateNow(run) } };
  }

  /**
   * Hides an open item from inbox views until `until` (null: shows it again). The run is not told:
   * its SLA and escalation keep running, so an item snoozed past its due date becomes overdue (and
   * may be escalated or expire) while hidden.
   */
  async snooze(principal: RequestPrincipal, kind: WorkItemKind, id: string, { until, comment }: SnoozeRequest): Promise<SnoozeResponse> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const item = await this.lock(db, kind, id);
      await this.assertMayWorkOn(db, principal, item, 'snooze');
      if (principal.kind !== 'user') throw new Error(`unreachable: ${ACT[kind]} without a person`);
      if (item.row.status !== OPEN[kind]) throw new ConflictError(`This ${kind} is already ${item.row.status}`);
      const now = Date.now();
      const at = until === null ? null : new Date(until);
      const problem = at ? snoozeProblem(at.getTime(), now) : null;
      if (problem) throw new ValidationError(problem, [{ path: 'body.until', code: 'invalid_snooze', message: problem }]);
      if (kind === 'approval') await db.approvals.snooze(id, at, principal.id);
      else await db.tasks.snooze(id, at, principal.id);
      const endsAfterDue = at !== null && item.row.dueAt !== null && at.getTime() > item.row.dueAt.getTime();
      await this.audit.record(em, principal, {
        action: at ? `${kind}.snoozed` : `${kind}.unsnoozed`,
        entity: { type: kind, id },
        summary: at ? `${principal.name} snoozed "${item.row.title}" until ${at.toISOString()}${comment ? `: ${comment}` : ''}` : `${principal.name} ended the snooze of "${item.row.title}"${comment ? `: ${comment}` : ''}`,
        changes: { before: { snoozedUntil: isoOrNull(item.row.snoozedUntil) }, after: { snoozedUntil: isoOrNull(at), ...(comment ? { comment } : {}) } },
      });
      if (comment) await db.workItems.addComment({ itemKind: kind, itemId: id, kind: 'snooze', authorId: principal.id, body: comment });
      const slaState = slaStateOf({ open: true, dueAtMs: item.row.dueAt?.getTime() ?? null, escalationLevel: item.kind === 'approval' ? item.row.escalationLevel : 0, nowMs: now });
      return {
        itemKind: kind,
        itemId: id,
        snoozedUntil: isoOrNull(at),
        dueAt: isoOrNull(item.row.dueAt),
        slaState: slaState ?? 'on_time',
        endsAfterDue,
        note: at
          ? `Hidden from inbox views until ${at.toISOString()}. The run is not told: its SLA and escalation keep running${endsAfterDue ? '; this snooze ends after the due date, so the item will be overdue (or escalated) before it reappears' : ''}.`
          : 'Shown in inbox views again.',
      };
    });
  }

  /** An item's comment thread, oldest first. */
  async comments(kind: WorkItemKind, id: string, query: ListCommentsQuery): Promise<Page<WorkItemComment>> {
    await this.find(this.db, kind, id);
    const found = await this.db.workItems.comments(kind, id, { limit: query.limit + 1, ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}) });
    const names = await this.db.users.namesByIds([...new Set(found.map((c) => c.authorId))]);
    return pageOf(found, query.limit, (c) => toComment(c, names), (last) => encodeCursor(last.createdAt, last.id));
  }

  /** Adds a comment as the signed-in person: someone who may act on the item or reassign it. */
  async addComment(principal: RequestPrincipal, kind: WorkItemKind, id: string, { body }: CreateCommentRequest): Promise<WorkItemComment> {
    return this.dataSource.transaction(async (em) => {
      const db = repositories(em);
      const item = await this.find(db, kind, id);
      await this.assertMayWorkOn(db, principal, item, 'comment on');
      if (principal.kind !== 'user') throw new Error(`unreachable: ${ACT[kind]} without a person`);
      const comment = await db.workItems.addComment({ itemKind: kind, itemId: id, kind: 'comment', authorId: principal.id, body });
      await this.audit.record(em, principal, { action: `${kind}.commented`, entity: { type: kind, id }, summary: `${principal.name} commented on "${item.row.title}": ${body}` });
      return toComment(comment, new Map([[principal.id, principal.name]]));
    });
  }

  /** Adds what a person said with a decision or a completion to the item's thread (in the caller's transaction). */
  static async recordNote(em: EntityManager, kind: WorkItemKind, itemId: string, commentKind: CommentKind, authorId: string, body: string | null | undefined): Promise<void> {
    if (body) await repositories(em).workItems.addComment({ itemKind: kind, itemId, kind: commentKind, authorId, body });
  }

  private async find(db: Repositories, kind: WorkItemKind, id: string): Promise<Item> {
    const row = kind === 'approval' ? await db.approvals.findById(id) : await db.tasks.findById(id);
    if (!row) throw new NotFoundError(NOUN[kind], id);
    return { kind, row } as Item;
  }

  private async lock(db: Repositories, kind: WorkItemKind, id: string): Promise<Item> {
    const row = kind === 'approval' ? await db.approvals.findById(id, { forUpdate: true }) : await db.tasks.findById(id, { forUpdate: true });
    if (!row) throw new NotFoundError(NOUN[kind], id);
    return { kind, row } as Item;
  }

  private async ownership(db: Repositories, item: Item): Promise<RowOwnership> {
    const ownership = await db.accounts.ownership(item.row.accountId, item.row.assigneeId);
    if (!ownership) throw new Error(`${item.kind} ${item.row.id} points at a missing account ${item.row.accountId}`);
    return ownership;
  }

  /** Snoozing and commenting: whoever may act on the item (decide, complete) or hand it over. */
  private async assertMayWorkOn(db: Repositories, principal: RequestPrincipal, item: Item, what: string): Promise<void> {
    const ownership = await this.ownership(db, item);
    if (mayActOn(principal, ACT[item.kind], ownership) || mayReassign(principal, ownership)) return;
    throw new ForbiddenError(`You may ${what} only ${item.kind}s you may act on (on accounts you own, assigned to you or your team)`, ACT[item.kind]);
  }

  private async answer(db: Repositories, kind: WorkItemKind, id: string): Promise<Approval | Task> {
    if (kind === 'approval') {
      const row = await db.approvals.findById(id);
      if (!row) throw new NotFoundError('Approval', id);
      return toApproval(row, await workItemNames(db, [row], []));
    }
    const row = await db.tasks.findById(id);
    if (!row) throw new NotFoundError('Task', id);
    return toTask(row, await workItemNames(db, [], [row]));
  }
}

function toComment(c: WorkItemCommentEntity, names: Map<string, string>): WorkItemComment {
  return {
    id: c.id,
    itemKind: c.itemKind as WorkItemKind,
    itemId: c.itemId,
    kind: c.kind as WorkItemComment['kind'],
    authorId: c.authorId,
    authorName: names.get(c.authorId) ?? '',
    body: c.body,
    createdAt: c.createdAt.toISOString(),
  };
}

function toInboxItem(item: Item, names: WorkItemNames, commentCount: number, nowMs: number): InboxItem {
  const r = item.row;
  const run = names.runs.get(r.runId);
  const escalationLevel = item.kind === 'approval' ? item.row.escalationLevel : 0;
  const common = {
    id: r.id,
    runId: r.runId,
    nodeId: r.nodeId,
    accountId: r.accountId,
    accountName: names.accounts.get(r.accountId) ?? '',
    playbookId: run?.playbookId ?? null,
    playbookName: run?.playbookName ?? '',
    version: run?.version ?? 0,
    title: r.title,
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeId ? (names.users.get(r.assigneeId) ?? null) : null,
    dueAt: isoOrNull(r.dueAt),
    slaState: slaStateOf({ open: true, dueAtMs: r.dueAt?.getTime() ?? null, escalationLevel, nowMs }) ?? 'on_time',
    escalationLevel,
    snoozedUntil: isoOrNull(r.snoozedUntil),
    commentCount,
    createdAt: r.createdAt.toISOString(),
  };
  if (item.kind === 'approval') {
    const p = item.row.proposed;
    return { kind: 'approval', ...common, proposed: p ? { channel: p.channel, to: p.to, subject: p.subject ?? '', body: p.body } : null };
  }
  return { kind: 'task', ...common, ownerSide: item.row.ownerSide as 'ours' | 'customer', ownerRole: item.row.ownerRole, completion: item.row.completion as 'person' | 'event' | 'condition' };
}
