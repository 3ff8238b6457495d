import { eventMatches } from '@cairn/playbook';
import { setHandler } from '@temporalio/workflow';
import {
  accountChangedSignal,
  accountEventSignal,
  approvalDecisionSignal,
  cancelRunSignal,
  completeTaskUpdate,
  decideApprovalUpdate,
  type DeciderRole,
  runStateQuery,
} from '../definitions';
import type { RunContext } from './context';

/** Managers and admins may act for the person a step is assigned to. */
const ACTS_FOR_OTHERS: ReadonlySet<DeciderRole> = new Set(['cs_manager', 'admin']);

function mayActFor(assigneeId: string | null, personId: string, role: DeciderRole | undefined): boolean {
  if (assigneeId === personId) return true;
  if (role && ACTS_FOR_OTHERS.has(role)) return true;
  // Nobody is assigned (the account has no CSM): any of our people with a role may act.
  return assigneeId === null && role !== undefined;
}

/**
 * Messages in and out of a run. Validators refuse what the run is not waiting for before
 * anything reaches history; the caller hears the reason at once.
 */
export function installHandlers(ctx: RunContext): void {
  setHandler(runStateQuery, () => ctx.state());

  setHandler(cancelRunSignal, (request) => {
    if (ctx.end) return;
    ctx.cancel = request;
    ctx.stop({ outcome: 'cancelled', reason: `Cancelled by ${request.cancelledByName}: ${request.reason}` });
  });

  setHandler(accountEventSignal, (event) => {
    if (!ctx.firstDelivery(event.eventId)) return;
    for (const waiter of ctx.waiters) if (!waiter.hit && waiter.matches(event)) waiter.hit = event;
    const exit = (ctx.plan.settings?.exitWhen ?? []).find((c) => c.when.on === 'event' && eventMatches(c.when.event, event, ctx.facts));
    if (exit) ctx.stop({ outcome: exit.outcome, reason: `Exit criterion "${exit.label}" met: ${event.type} (${event.occurredAt})` });
  });

  setHandler(accountChangedSignal, () => {
    ctx.changesRequested++;
  });

  setHandler(
    decideApprovalUpdate,
    (decision) => {
      const pending = ctx.approvals.get(decision.approvalId);
      if (pending) pending.decision = decision;
      return { accepted: true as const };
    },
    {
      validator: (decision) => {
        const pending = ctx.approvals.get(decision.approvalId);
        if (!pending || pending.closing) throw new Error(`This run is not waiting for approval ${decision.approvalId}`);
        if (pending.decision) throw new Error('This approval is already decided');
        if (!mayActFor(pending.assigneeId, decision.decidedById, decision.decidedByRole)) {
          throw new Error(`Only ${pending.assigneeName ?? 'the assignee'} or a manager may decide this approval`);
        }
        if (decision.editedTouch && decision.decision !== 'approved') throw new Error('Only an approval can edit the touch');
      },
    },
  );

  // Runs started before decisions became Updates still send this signal; it gets the same checks, silently.
  setHandler(approvalDecisionSignal, (decision) => {
    const pending = ctx.approvals.get(decision.approvalId);
    if (pending && !pending.closing && !pending.decision) pending.decision = decision;
  });

  setHandler(
    completeTaskUpdate,
    (completion) => {
      const task = ctx.tasks.get(completion.taskId);
      if (task) task.completion = completion;
      return { accepted: true as const };
    },
    {
      validator: (completion) => {
        const task = ctx.tasks.get(completion.taskId);
        if (!task) throw new Error(`This run has no open task ${completion.taskId}`);
        if (task.completion) throw new Error('This task is already done');
        if (!task.byPerson) throw new Error('This task completes on its own (an event or a condition), not by a person');
        if (!mayActFor(task.assigneeId, completion.completedById, completion.completedByRole)) throw new Error('Only the task’s owner or a manager may mark it done');
      },
    },
  );
}
