import type { ApprovalEntity, Repositories, TaskEntity } from '@cairn/db';

/** Names the API shows next to approvals and tasks, looked up once per page. */
export interface WorkItemNames {
  accounts: Map<string, string>;
  users: Map<string, string>;
  /** By run id. */
  runs: Map<string, { playbookId: string; playbookName: string; version: number }>;
}

const unique = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => id !== null))];

/** Account, user and playbook names for these items (sequential: one connection in a transaction). */
export async function workItemNames(db: Repositories, approvals: readonly ApprovalEntity[], tasks: readonly TaskEntity[], extraUserIds: Array<string | null> = []): Promise<WorkItemNames> {
  const items = [...approvals, ...tasks];
  const accounts = await db.accounts.namesByIds(unique(items.map((i) => i.accountId)));
  const users = await db.users.namesByIds(
    unique([...approvals.flatMap((a) => [a.assigneeId, a.decidedById]), ...tasks.flatMap((t) => [t.assigneeId, t.completedById]), ...extraUserIds]),
  );
  const runs = await db.runs.findByIds(unique(items.map((i) => i.runId)));
  return {
    accounts,
    users,
    runs: new Map(runs.map((r) => [r.id, { playbookId: r.playbookId, playbookName: r.playbookVersion?.playbook?.name ?? '', version: r.playbookVersion?.version ?? 0 }])),
  };
}
