import type { Approval, ApprovalStatus } from '@cairn/contracts';
import type { ApprovalEntity } from '@cairn/db';
import { isoOrNull } from '../common/dates';

/** Names the API shows next to an approval, looked up once per page of approvals. */
export interface ApprovalNames {
  accounts: Map<string, string>;
  users: Map<string, string>;
  runs: Map<string, { playbookName: string; version: number }>;
}

export function toApproval(a: ApprovalEntity, names: ApprovalNames): Approval {
  const run = names.runs.get(a.runId);
  return {
    id: a.id,
    runId: a.runId,
    nodeId: a.nodeId,
    accountId: a.accountId,
    accountName: names.accounts.get(a.accountId) ?? '',
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
    createdAt: a.createdAt.toISOString(),
  };
}
