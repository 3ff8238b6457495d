import { SentEmailEntity } from '@cairn/db';
import { randomUUID } from 'node:crypto';
import { renderTemplate } from '@cairn/playbook';
import type { SendEmailInput, SendEmailResult } from '@cairn/workflows';
import type { ActivityDeps } from './deps';
import { loadAccountContext, resolveRecipient, templateVariables } from './recipients';

/**
 * Sends a touch's email once per (run, step, visit), as far as SMTP allows. The row is written
 * first (status `sending`) with its Message-ID, then the mail goes out, then the row becomes `sent`
 * (only from `sending`). A retry of a `sent` row sends nothing. A worker that dies after the relay
 * took the message but before the row says `sent` leaves it `sending`, and the retry sends it again
 * with the same Message-ID: delivery is at least once, with one stable Message-ID per idempotency
 * key, so receivers (and the relay) can drop the copy. SMTP has no way to ask whether a message
 * was accepted, so this window cannot be closed from here.
 */
const messageIdOf = (id: string) => `<${id}@cairn.local>`;

export function createEmailActivities({ dataSource, mailer }: ActivityDeps) {
  return {
    async sendEmail(input: SendEmailInput): Promise<SendEmailResult> {
      const idempotencyKey = `${input.runId}:${input.stepId}:${input.visit}`;
      const repo = dataSource.getRepository(SentEmailEntity);
      let row = await repo.findOneBy({ idempotencyKey });
      if (!row) {
        const id = randomUUID();
        const ctx = await loadAccountContext(dataSource.manager, input.accountId);
        const recipient = await resolveRecipient(dataSource.manager, ctx, input.touch.to);
        const vars = templateVariables(ctx, recipient);
        await repo
          .createQueryBuilder()
          .insert()
          .values({
            // The id, and so the Message-ID, is known before anything is sent.
            id,
            messageId: messageIdOf(id),
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

      // Rows written before the Message-ID was stored up front have the same one, derived from the id.
      const { messageId } = await mailer.send({
        to: row.toAddress,
        subject: row.subject,
        text: row.body,
        messageId: row.messageId ?? messageIdOf(row.id),
        headers: { 'X-Cairn-Run': input.runId, 'X-Cairn-Step': input.stepId, 'X-Cairn-Approval': input.approvalId ?? 'none' },
      });
      await repo.update({ id: row.id, status: 'sending' }, { status: 'sent', messageId, sentAt: new Date() });
      return { sentEmailId: row.id, messageId, toAddress: row.toAddress };
    },
  };
}
