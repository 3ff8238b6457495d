import { ApprovalEntity, UserEntity } from '@cairn/db';
import { renderTemplate } from '@cairn/playbook';
import type { OpenApprovalInput, OpenApprovalResult } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { loadAccountContext, resolveRecipient, templateVariables } from './recipients';

export function createApprovalActivities({ dataSource }: ActivityDeps) {
  return {
    /** Opens the approval once per (run, step, visit); a retried call returns the same approval. */
    async openApproval(input: OpenApprovalInput): Promise<OpenApprovalResult> {
      return dataSource.transaction(async (em) => {
        const ctx = await loadAccountContext(em, input.accountId);
        const assigneeId = input.assignee.kind === 'account_csm' ? ctx.account.csmId : input.assignee.userId;
        const assignee = assigneeId ? await em.findOne(UserEntity, { where: { id: assigneeId } }) : null;
        if (input.assignee.kind === 'user' && !assignee) throw ApplicationFailure.nonRetryable(`Approver ${input.assignee.userId} does not exist`, 'ApproverMissing');

        let proposed = null;
        if (input.proposedTouch) {
          const recipient = await resolveRecipient(em, ctx, input.proposedTouch.to);
          const vars = templateVariables(ctx, recipient);
          proposed = {
            channel: input.proposedTouch.channel,
            to: `${recipient.name} <${recipient.email}>`,
            subject: renderTemplate(input.proposedTouch.subject, vars),
            body: renderTemplate(input.proposedTouch.body, vars),
          };
        }
        const title = renderTemplate(input.title, templateVariables(ctx, null));
        await em
          .createQueryBuilder()
          .insert()
          .into(ApprovalEntity)
          .values({
            runId: input.runId,
            nodeId: input.stepId,
            visit: input.visit,
            accountId: input.accountId,
            assigneeId: assignee?.id ?? null,
            title,
            status: 'pending',
            proposed,
            dueAt: input.dueAt ? new Date(input.dueAt) : null,
          })
          .orIgnore()
          .execute();
        const approval = await em.findOneOrFail(ApprovalEntity, { where: { runId: input.runId, nodeId: input.stepId, visit: input.visit } });
        return { approvalId: approval.id, assigneeName: assignee?.name ?? null };
      });
    },

    async cancelApproval({ approvalId, reason }: { approvalId: string; reason: string }): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(ApprovalEntity)
        .set({ status: 'cancelled', note: reason, decidedAt: () => 'now()' })
        .where('id = :approvalId AND status = :pending', { approvalId, pending: 'pending' })
        .execute();
    },

    async expireApproval({ approvalId }: { approvalId: string }): Promise<'pending' | 'approved' | 'rejected' | 'expired'> {
      await dataSource
        .createQueryBuilder()
        .update(ApprovalEntity)
        .set({ status: 'expired', decidedAt: () => 'now()' })
        .where('id = :approvalId AND status = :pending', { approvalId, pending: 'pending' })
        .execute();
      const approval = await dataSource.getRepository(ApprovalEntity).findOneByOrFail({ id: approvalId });
      return approval.status as 'pending' | 'approved' | 'rejected' | 'expired';
    },
  };
}
