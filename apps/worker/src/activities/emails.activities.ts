import { SentEmailEntity } from '@cairn/db';
import { renderTemplate } from '@cairn/playbook';
import type { SendEmailInput, SendEmailResult } from '@cairn/workflows';
import type { ActivityDeps } from './deps';
import { loadAccountContext, resolveRecipient, templateVariables } from './recipients';

/**
 * Sends a touch's email at most once per (run, step, visit): the row is written first with status
 * `sending`, so a retry after a crash finds it and reuses its Message-ID instead of a new email.
 */
export function createEmailActivities({ dataSource, mailer }: ActivityDeps) {
  return {
    async sendEmail(input: SendEmailInput): Promise<SendEmailResult> {
      const idempotencyKey = `${input.runId}:${input.stepId}:${input.visit}`;
      const repo = dataSource.getRepository(SentEmailEntity);
      let row = await repo.findOneBy({ idempotencyKey });
      if (!row) {
        const ctx = await loadAccountContext(dataSource.manager, input.accountId);
        const recipient = await resolveRecipient(dataSource.manager, ctx, input.touch.to);
        const vars = templateVariables(ctx, recipient);
        await repo
          .createQueryBuilder()
          .insert()
          .values({
            idempotencyKey,
            runId: input.runId,
            nodeId: input.stepId,
            playbookVersionId: input.playbookVersionId,
            approvalId: input.approvalId,
            accountId: input.accountId,
            toAddress: recipient.email,
            toRole: recipient.role,
            subject: renderTemplate(input.touch.subject, vars),
            body: renderTemplate(input.touch.body, vars),
            status: 'sending',
            reason: input.reason,
          })
          .orIgnore()
          .execute();
        row = await repo.findOneByOrFail({ idempotencyKey });
      }
      if (row.status === 'sent') return { sentEmailId: row.id, messageId: row.messageId, toAddress: row.toAddress };

      const { messageId } = await mailer.send({
        to: row.toAddress,
        subject: row.subject,
        text: row.body,
        messageId: `<${row.id}@cairn.local>`,
        headers: { 'X-Cairn-Run': input.runId, 'X-Cairn-Step': input.stepId, 'X-Cairn-Approval': input.approvalId ?? 'none' },
      });
      await repo.update({ id: row.id }, { status: 'sent', messageId, sentAt: new Date() });
      return { sentEmailId: row.id, messageId, toAddress: row.toAddress };
    },
  };
}
