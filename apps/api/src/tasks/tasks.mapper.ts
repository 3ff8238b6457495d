import type { Task } from '@cairn/contracts';
import type { TaskEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';

/** Names shown next to tasks, looked up once per page of tasks. */
export interface TaskNames {
  accounts: Map<string, string>;
  users: Map<string, string>;
  playbooks: Map<string, string>;
}

export function toTask(t: TaskEntity, names: TaskNames): Task {
  return {
    id: t.id,
    runId: t.runId,
    nodeId: t.nodeId,
    accountId: t.accountId,
    accountName: names.accounts.get(t.accountId) ?? '',
    playbookName: names.playbooks.get(t.runId) ?? '',
    title: t.title,
    ownerSide: t.ownerSide as Task['ownerSide'],
    ownerRole: t.ownerRole,
    assigneeId: t.assigneeId,
    assigneeName: t.assigneeId ? (names.users.get(t.assigneeId) ?? null) : null,
    completion: t.completion as Task['completion'],
    status: t.status as Task['status'],
    dueAt: t.dueAt.toISOString(),
    overdueAt: isoOrNull(t.overdueAt),
    completedById: t.completedById,
    completedByName: t.completedById ? (names.users.get(t.completedById) ?? null) : null,
    completedAt: isoOrNull(t.completedAt),
    note: t.note,
    reason: t.reason,
    createdAt: t.createdAt.toISOString(),
  };
}
