import { type EntityManager, In } from 'typeorm';
import { afterKeyset, type DueKeyset, dueKey, Params } from './work-item-sql';
import { WorkItemCommentEntity } from './work-item-comment.entity';

export type WorkItemKind = 'approval' | 'task';
/** How far a person's grant reaches (see `Reach` in @cairn/contracts), or null for none. */
export type WorkReach = 'any' | 'team' | 'own' | 'assigned' | null;

export interface InboxFilter {
  view: 'mine' | 'team' | 'overdue' | 'all';
  /** The signed-in person (null for an API token: `mine`, `team` and `overdue` are then empty). */
  me: string | null;
  /** How far they may act on approvals (`approvals:decide`) and tasks (`tasks:complete`): what `overdue` covers. */
  reach: Record<WorkItemKind, WorkReach>;
  kind?: WorkItemKind;
  accountId?: string;
  playbookId?: string;
  includeSnoozed: boolean;
  now: Date;
  limit: number;
  after?: DueKeyset;
}

export interface InboxRow {
  kind: WorkItemKind;
  id: string;
}

export type CommentKind = 'comment' | 'decision' | 'completion' | 'reassign' | 'snooze';

/** The inbox (pending approvals and open tasks in one list) and each item's comment thread. */
export class WorkItemsRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page of the inbox, due first (undated last), then id: which kind and id each row is. */
  async inbox(filter: InboxFilter): Promise<InboxRow[]> {
    const p = new Params();
    const where: string[] = [];
    const me = () => `${p.add(filter.me)}::uuid`;
    if (filter.kind) where.push(`w.kind = ${p.add(filter.kind)}`);
    if (filter.accountId) where.push(`w.account_id = ${p.add(filter.accountId)}::uuid`);
    if (filter.playbookId) where.push(`w.playbook_id = ${p.add(filter.playbookId)}::uuid`);
    if (!filter.includeSnoozed) where.push(`(w.snoozed_until IS NULL OR w.snoozed_until <= ${p.add(filter.now.toISOString())}::timestamptz)`);
    if (filter.view !== 'all' && filter.me === null) where.push('false');
    else if (filter.view === 'mine') where.push(`w.assignee_id = ${me()}`);
    else if (filter.view === 'team') where.push(`asg.manager_id = ${me()}`);
    else if (filter.view === 'overdue') {
      where.push(`w.due_at <= ${p.add(filter.now.toISOString())}::timestamptz`);
      const reach = (r: WorkReach): string => {
        if (r === 'any') return 'true';
        if (r === null) return 'false';
        const assigned = `w.assignee_id = ${me()}`;
        if (r === 'assigned') return assigned;
        const own = `(${assigned} OR acc.csm_id = ${me()})`;
        if (r === 'own') return own;
        return `(${own} OR csm.manager_id = ${me()} OR asg.manager_id = ${me()})`;
      };
      where.push(`((w.kind = 'approval' AND ${reach(filter.reach.approval)}) OR (w.kind = 'task' AND ${reach(filter.reach.task)}))`);
    }
    if (filter.after) where.push(afterKeyset('w.due_at', 'w.id', filter.after, p));
    return this.em.query(
      `SELECT w.kind, w.id FROM (
         SELECT 'approval' AS kind, a.id, a.due_at, a.assignee_id, a.account_id, r.playbook_id, a.snoozed_until
         FROM approvals a JOIN runs r ON r.id = a.run_id WHERE a.status = 'pending'
         UNION ALL
         SELECT 'task', t.id, t.due_at, t.assignee_id, t.account_id, v.playbook_id, t.snoozed_until
         FROM tasks t JOIN playbook_versions v ON v.id = t.playbook_version_id WHERE t.status = 'open'
       ) w
       JOIN accounts acc ON acc.id = w.account_id
       LEFT JOIN users csm ON csm.id = acc.csm_id
       LEFT JOIN users asg ON asg.id = w.assignee_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${dueKey('w.due_at')} NULLS LAST, w.id
       LIMIT ${p.add(filter.limit)}`,
      p.values,
    );
  }

  addComment(fields: { itemKind: WorkItemKind; itemId: string; kind: CommentKind; authorId: string; body: string }): Promise<WorkItemCommentEntity> {
    const { itemKind, itemId, kind, authorId, body } = fields;
    return this.em.save(this.em.create(WorkItemCommentEntity, { itemKind, itemId, kind, authorId, body }));
  }

  /** An item's thread, oldest first, after `after` (`limit` rows at most; times compare to the millisecond cursors carry). */
  async comments(itemKind: WorkItemKind, itemId: string, page: { limit: number; after?: { at: string; id: string } }): Promise<WorkItemCommentEntity[]> {
    const p = new Params();
    const where = [`c.item_kind = ${p.add(itemKind)}`, `c.item_id = ${p.add(itemId)}::uuid`];
    const at = dueKey('c.created_at');
    if (page.after) where.push(`(${at}, c.id) > (${p.add(page.after.at)}::timestamptz, ${p.add(page.after.id)}::uuid)`);
    const rows: Array<{ id: string }> = await this.em.query(`SELECT c.id FROM work_item_comments c WHERE ${where.join(' AND ')} ORDER BY ${at}, c.id LIMIT ${p.add(page.limit)}`, p.values);
    if (rows.length === 0) return [];
    const found = new Map((await this.em.findBy(WorkItemCommentEntity, { id: In(rows.map((r) => r.id)) })).map((c) => [c.id, c]));
    return rows.flatMap((r) => found.get(r.id) ?? []);
  }

  /** How many comments each item has (items without any are left out). */
  async commentCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ item_id: string; n: number }> = await this.em.query(`SELECT item_id, count(*)::int AS n FROM work_item_comments WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`, [ids]);
    return new Map(rows.map((r) => [r.item_id, r.n]));
  }
}
