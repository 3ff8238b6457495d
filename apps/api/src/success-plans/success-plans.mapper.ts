import type { Objective, SuccessPlan } from '@cairn/contracts';
import type { SuccessObjectiveEntity, SuccessPlanEntity, TaskEntity } from '@cairn/db';
import { type AccountSnapshot, objectiveStatus } from '@cairn/playbook';

export function toObjective(o: SuccessObjectiveEntity, account: AccountSnapshot, nowMs: number): Objective {
  const override = o.overrideStatus ? { status: o.overrideStatus, note: o.overrideNote ?? '', by: o.overrideBy ?? 'someone' } : null;
  const { status, reason } = objectiveStatus({ measure: o.measure, targetDate: o.targetDate, override }, account, nowMs);
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    measure: o.measure,
    targetDate: o.targetDate,
    status,
    statusReason: reason,
    override,
    agreement: o.agreedAt ? { agreedAt: o.agreedAt.toISOString(), stakeholderId: o.agreedByStakeholderId, name: o.agreedByName ?? '' } : null,
  };
}

function toAccountability(t: TaskEntity, nowMs: number): SuccessPlan['accountabilities']['ours'][number] {
  return {
    taskId: t.id,
    runId: t.runId,
    title: t.title,
    ownerRole: t.ownerRole,
    status: t.status as 'open' | 'done' | 'cancelled',
    dueAt: t.dueAt.toISOString(),
    overdue: t.status === 'open' && (t.overdueAt !== null || t.dueAt.getTime() < nowMs),
    completedAt: t.completedAt ? t.completedAt.toISOString() : null,
  };
}

export function toSuccessPlan(plan: SuccessPlanEntity, objectives: SuccessObjectiveEntity[], tasks: TaskEntity[], account: AccountSnapshot, nowMs: number): SuccessPlan {
  const mapped = objectives.map((o) => toObjective(o, account, nowMs));
  return {
    accountId: plan.accountId,
    strategy: plan.strategy,
    updatedAt: plan.updatedAt.toISOString(),
    updatedBy: plan.updatedBy,
    objectives: mapped,
    accountabilities: {
      ours: tasks.filter((t) => t.ownerSide === 'ours').map((t) => toAccountability(t, nowMs)),
      customer: tasks.filter((t) => t.ownerSide === 'customer').map((t) => toAccountability(t, nowMs)),
    },
    summary: { green: mapped.filter((o) => o.status === 'green').length, red: mapped.filter((o) => o.status === 'red').length, agreed: mapped.filter((o) => o.agreement).length },
  };
}
