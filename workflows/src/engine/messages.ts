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
  reassignApprovalUpdate,
  reassignTaskUpdate,
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

/** Who may hand a step to someone else: the assignee, managers, ops and admins (anyone with a role when nobody is assigned). */
const REASSIGNS_FOR_OTHERS: ReadonlySet<DeciderRole> = new Set(['cs_manager', 'ops', 'admin']);

function mayReassign(assigneeId: string | null, personId: string, role: DeciderRole | undefined): boolean {
  if (assigneeId === personId) return true;
  if (role && REASSIGNS_FOR_OTHERS.has(role)) return true;
  return assigneeId === null && role !== undefined;
}

function checkReassignment(currentId: string | null, currentName: string | null, to: { assigneeId: string; reassignedById: string; reassignedByRole?: DeciderRole }, what: string): void {
  if (!to.assigneeId) throw new Error('Name the person to hand it to');
  if (to.assigneeId === currentId) throw new Error(`This ${what} is already assigned to ${currentName ?? 'them'}`);
  if (!mayReassign(currentId, to.reassignedById, to.reassignedByRole)) throw new Error(`Only ${currentName ?? 'the assignee'}, a manager, ops or an admin may reassign this ${what}`);
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
    let taken = false;
    for (const waiter of ctx.waiters) {
      if (!waiter.hit && waiter.matches(event)) {
        waiter.hit = event;
        taken = true;
      }
    }
    if (!taken) ctx.holdIfHandingOver(event);
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

  setHandler(
    reassignApprovalUpdate,
    (to) => {
      const pending = ctx.approvals.get(to.approvalId);
      if (pending) {
        pending.assigneeId = to.assigneeId;
        pending.assigneeName = to.assigneeName;
        // What the live state shows; no command changes, so histories replay as before.
        for (const step of ctx.active.values()) if (step.approvalId === to.approvalId) step.waitingFor = `${to.assigneeName} to decide`;
      }
      return { accepted: true as const };
    },
    {
      validator: (to) => {
        const pending = ctx.approvals.get(to.approvalId);
        if (!pending || pending.closing) throw new Error(`This run is not waiting for approval ${to.approvalId}`);
        if (pending.decision) throw new Error('This approval is already decided');
        checkReassignment(pending.assigneeId, pending.assigneeName, to, 'approval');
      },
    },
  );

  setHandler(
    reassignTaskUpdate,
    (to) => {
      const task = ctx.tasks.get(to.taskId);
      if (task) {
        task.assigneeId = to.assigneeId;
        if (task.byPerson) for (const step of ctx.active.values()) if (step.taskId === to.taskId) step.waitingFor = `${to.assigneeName} to mark it done`;
      }
      return { accepted: true as const };
    },
    {
      validator: (to) => {
        const task = ctx.tasks.get(to.taskId);
        if (!task) throw new Error(`This run has no open task ${to.taskId}`);
        if (task.completion) throw new Error('This task is already done');
        checkReassignment(task.assigneeId, null, to, 'task');
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
