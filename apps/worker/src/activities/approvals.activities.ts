import { type ProposedTouch as StoredTouch, repositories, type UserEntity } from '@cairn/db';
import { renderTemplate } from '@cairn/playbook';
import type { ApprovalAssignee, ApprovalStatus, EscalateApprovalInput, EscalateApprovalResult, OpenApprovalInput, OpenApprovalResult, ResolveApprovalInput } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { EntityManager } from 'typeorm';
import type { ActivityDeps } from './deps';
import { actionKey } from './keys';
import { notifyChat } from './notify';
import { type AccountContext, findRecipient, loadAccountContext, missingRecipientReason, resolveInternalPerson, templateVariables } from './recipients';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who decides: the account's CSM; a named user (who must exist); or a role on our side, resolved
 * for the account (`cs_manager`: the CSM's manager, else the first cs_manager; `executive_sponsor`:
 * the manager of the CSM's manager, else the first admin; see resolveInternalPerson). Null when
 * nobody fits: the run then accepts a decision from any of our people.
 */
async function resolveApprover(em: EntityManager, ctx: AccountContext, assignee: ApprovalAssignee): Promise<UserEntity | null> {
  switch (assignee.kind) {
    case 'account_csm':
      return ctx.csm;
    case 'role':
      return resolveInternalPerson(em, ctx, assignee.role);
    case 'user': {
      const user = UUID.test(assignee.userId) ? await repositories(em).users.findById(assignee.userId) : null;
      if (!user) throw ApplicationFailure.nonRetryable(`Approver ${assignee.userId} does not exist`, 'ApproverMissing');
      return user;
    }
  }
}

interface EscalationDetail {
  action: EscalateApprovalInput['action'];
  level: number;
  title: string;
  accountName: string;
  fromId: string | null;
  fromName: string | null;
  /** The manager notified or handed the approval (null: nobody to escalate to). */
  toId: string | null;
  toName: string | null;
  toEmail: string | null;
  /** Who may decide afterwards. */
  assigneeId: string | null;
  assigneeName: string | null;
  summary: string;
  emailMessageId?: string;
  chat?: { status: 'done' | 'failed' | 'skipped'; detail: string };
}

function escalationResult(d: EscalationDetail): EscalateApprovalResult {
  return { assigneeId: d.assigneeId, assigneeName: d.assigneeName, summary: d.summary };
}

/** Approvals: opened once per step visit, escalated up the ladder, closed by the run when nobody decides. */
export function createApprovalActivities({ dataSource, mailer, chat }: ActivityDeps) {
  return {
    /** Opens the approval once per (run, step, visit); a retried call returns the same approval. */
    async openApproval(input: OpenApprovalInput): Promise<OpenApprovalResult> {
      return dataSource.transaction(async (em) => {
        const repos = repositories(em);
        const ctx = await loadAccountContext(em, input.accountId);
        const assignee = await resolveApprover(em, ctx, input.assignee);

        let proposed: StoredTouch | null = null;
        if (input.proposedTouch) {
          const touch = input.proposedTouch;
          const recipient = await findRecipient(em, ctx, touch.to);
          const vars = templateVariables(ctx, recipient);
          proposed = {
            channel: touch.channel,
            // The approver sees who it would go to, or that nobody would (the touch is then skipped).
            to: recipient ? `${recipient.name} <${recipient.email}>` : missingRecipientReason(ctx, touch.to),
            // The inbox contract has a subject on every touch: chat, in-app and call touches may have none.
            subject: touch.subject ? renderTemplate(touch.subject, vars) : '',
            body: renderTemplate(touch.body, vars),
          };
        }
        const approval = await repos.approvals.openOnce({
          runId: input.runId,
          nodeId: input.stepId,
          visit: input.visit,
          accountId: input.accountId,
          assigneeId: assignee?.id ?? null,
          title: renderTemplate(input.title, templateVariables(ctx, null)),
          proposed,
          dueAt: input.dueAt ? new Date(input.dueAt) : null,
        });
        // A retry answers with what the first call stored.
        const stored = approval.assigneeId === (assignee?.id ?? null) ? assignee : approval.assigneeId ? await repos.users.findById(approval.assigneeId) : null;
        return { approvalId: approval.id, assigneeName: stored?.name ?? null, assigneeId: approval.assigneeId };
      });
    },

    async cancelApproval({ approvalId, reason }: { approvalId: string; reason: string }): Promise<void> {
      await repositories(dataSource.manager).approvals.resolveIfPending(approvalId, 'cancelled', reason);
    },

    async expireApproval({ approvalId }: { approvalId: string }): Promise<'pending' | 'approved' | 'rejected' | 'expired'> {
      const status = await repositories(dataSource.manager).approvals.resolveIfPending(approvalId, 'expired', null);
      if (status === null) throw ApplicationFailure.nonRetryable(`Approval ${approvalId} no longer exists`, 'ApprovalNotFound');
      return status as 'pending' | 'approved' | 'rejected' | 'expired';
    },

    /**
     * Closes a still-pending approval as the run's deadline says (expired → `expired`, auto-approved
     * → `approved`, auto-skipped → `rejected`), with the resolution and the reason as note. A
     * decision committed first wins; one being recorded right now (row locked) is waited for.
     */
    async resolveApproval({ approvalId, resolution, reason }: ResolveApprovalInput): Promise<ApprovalStatus> {
      const status = await repositories(dataSource.manager).approvals.resolveIfPending(approvalId, resolution, reason);
      if (status === null) throw ApplicationFailure.nonRetryable(`Approval ${approvalId} no longer exists`, 'ApprovalNotFound');
      return status as ApprovalStatus;
    },

    /**
     * One rung of the ladder, once per (run, step, visit, level): raises the approval's escalation
     * level and, for `reassign_to_manager`, hands it to the assignee's manager (users.manager_id,
     * else the first cs_manager), then emails that manager (plain text, no link) and posts to chat
     * when a chat webhook is configured. Recorded as a run action `escalation`. The email is sent at
     * most once per rung barring a crash between sending and recording it; chat is best effort (a
     * chat outage must not hold the ladder), its outcome is in the action's detail.
     */
    async escalateApproval(input: EscalateApprovalInput): Promise<EscalateApprovalResult> {
      const key = actionKey(input, 'escalation', input.level);
      const { action, detail } = await dataSource.transaction(async (em) => {
        const repos = repositories(em);
        const approval = await repos.approvals.findById(input.approvalId, { forUpdate: true });
        if (!approval) throw ApplicationFailure.nonRetryable(`Approval ${input.approvalId} no longer exists`, 'ApprovalNotFound');
        const existing = await repos.runActions.findByKey(key);
        if (existing) return { action: existing, detail: existing.detail as unknown as EscalationDetail };

        const ctx = await loadAccountContext(em, input.accountId);
        const from = approval.assigneeId ? await repos.users.findById(approval.assigneeId) : null;
        const manager = await repos.users.managerOf(approval.assigneeId);
        const managerWords = manager ? (from && from.managerId === manager.id ? `${manager.name}, ${from.name}’s manager` : `${manager.name} (CS manager)`) : null;
        const reassign = input.action === 'reassign_to_manager';
        let status: 'pending' | 'skipped' = 'pending';
        let summary: string;
        if (approval.status !== 'pending') {
          status = 'skipped';
          summary = `Not escalated: the approval is already ${approval.status}`;
        } else {
          await repos.approvals.escalate(approval.id, input.level, reassign && manager ? manager.id : undefined);
          if (!manager) {
            status = 'skipped';
            summary = `Not escalated: ${from ? `${from.name} has no manager` : 'nobody is assigned'} and there is no CS manager`;
          } else summary = reassign ? `Reassigned to ${managerWords}` : `Reminder sent to ${managerWords}`;
        }
        const after = reassign && manager && status === 'pending' ? manager : from;
        const d: EscalationDetail = {
          action: input.action,
          level: input.level,
          title: approval.title,
          accountName: ctx.account.name,
          fromId: from?.id ?? null,
          fromName: from?.name ?? null,
          toId: manager?.id ?? null,
          toName: manager?.name ?? null,
          toEmail: manager?.email ?? null,
          assigneeId: after?.id ?? null,
          assigneeName: after?.name ?? null,
          summary,
        };
        const begun = await repos.runActions.beginOnce({
          idempotencyKey: key,
          runId: input.runId,
          nodeId: input.stepId,
          visit: input.visit,
          playbookVersionId: input.playbookVersionId,
          accountId: input.accountId,
          kind: 'escalation',
          target: input.action,
          approvalId: approval.id,
          reason: input.reason,
          status,
          detail: d as unknown as Record<string, unknown>,
        });
        return { action: begun.action, detail: begun.action.detail as unknown as EscalationDetail };
      });
      if (action.status !== 'pending' || !detail.toEmail) return escalationResult(detail);

      const runs = repositories(dataSource.manager).runActions;
      const headline = `Approval overdue: ${detail.title} for ${detail.accountName}`;
      if (!detail.emailMessageId) {
        const text = [
          headline,
          '',
          input.action === 'reassign_to_manager'
            ? `${detail.fromName ?? 'Nobody'} has not decided it, so it is now yours to decide (escalation step ${detail.level}).`
            : `${detail.fromName ?? 'Nobody'} has not decided it yet; you are told as their manager (escalation step ${detail.level}).`,
          `Why: ${input.reason}`,
          `Run ${input.runId}, step ${input.stepId}.`,
        ].join('\n');
        const sent = await mailer.send({
          to: detail.toEmail,
          subject: headline,
          text,
          messageId: `<${action.id}@cairn.local>`,
          headers: { 'X-Cairn-Run': input.runId, 'X-Cairn-Step': input.stepId, 'X-Cairn-Approval': input.approvalId },
        });
        await runs.update(action.id, 'pending', { emailMessageId: sent.messageId });
      }
      const chatOutcome = await notifyChat(chat, {
        title: headline,
        body: input.action === 'reassign_to_manager' ? `Reassigned to ${detail.toName}. ${input.reason}` : `${detail.toName} notified. ${input.reason}`,
        idempotencyKey: key,
      });
      const done = await runs.update(action.id, 'done', { chat: chatOutcome });
      return escalationResult(done.detail as unknown as EscalationDetail);
    },
  };
}
