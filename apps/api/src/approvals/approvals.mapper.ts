import { type Approval, type ApprovalStatus, slaStateOf } from '@cairn/contracts';
import type { ApprovalEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';
import type { WorkItemNames } from '../work-items/work-item-names';

/** Names shown next to approvals. */
export type ApprovalNames = WorkItemNames;

/** The approval as the API answers it; `nowMs` places it against its SLA. */
export function toApproval(a: ApprovalEntity, names: ApprovalNames, nowMs = Date.now()): Approval {
  const run = names.runs.get(a.runId);
  return {
    id: a.id,
    runId: a.runId,
    nodeId: a.nodeId,
    accountId: a.accountId,
    accountName: names.accounts.get(a.accountId) ?? '',
    playbookId: run?.playbookId ?? null,
    playbookName: run?.playbookName ?? '',
    version: run?.version ?? 0,
    title: a.title,
    assigneeId: a.assigneeId,
    assigneeName: a.assigneeId ? (names.users.get(a.assigneeId) ?? null) : null,
    status: a.status as ApprovalStatus,
    proposed: a.proposed,
    dueAt: isoOrNull(a.dueAt),
    decidedById: a.decidedById,
    decidedByName: a.decidedById ? (names.users.get(a.decidedById) ?? null) : null,
    decidedAt: isoOrNull(a.decidedAt),
    note: a.note,
    escalationLevel: a.escalationLevel,
    resolution: a.resolution as Approval['resolution'],
    slaState: slaStateOf({ open: a.status === 'pending', dueAtMs: a.dueAt?.getTime() ?? null, escalationLevel: a.escalationLevel, nowMs }),
    snoozedUntil: isoOrNull(a.snoozedUntil),
    createdAt: a.createdAt.toISOString(),
  };
}
