import { slaStateOf, type Task } from '@cairn/contracts';
import type { TaskEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';
import type { WorkItemNames } from '../work-items/work-item-names';

/** Names shown next to tasks. */
export type TaskNames = WorkItemNames;

/** The task as the API answers it; `nowMs` places it against its due date. */
export function toTask(t: TaskEntity, names: TaskNames, nowMs = Date.now()): Task {
  const run = names.runs.get(t.runId);
  return {
    id: t.id,
    runId: t.runId,
    nodeId: t.nodeId,
    accountId: t.accountId,
    accountName: names.accounts.get(t.accountId) ?? '',
    playbookId: run?.playbookId ?? null,
    playbookName: run?.playbookName ?? '',
    version: run?.version ?? 0,
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
    slaState: slaStateOf({ open: t.status === 'open', dueAtMs: t.dueAt.getTime(), escalationLevel: 0, nowMs }),
    snoozedUntil: isoOrNull(t.snoozedUntil),
    createdAt: t.createdAt.toISOString(),
  };
}
