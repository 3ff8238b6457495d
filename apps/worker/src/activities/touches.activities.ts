import { repositories } from '@cairn/db';
import { renderTemplate } from '@cairn/playbook';
import type { ActionResult, DeliverTouchInput } from '@cairn/workflows';
import type { DeliveryOutcome } from '../http';
import type { ActivityDeps } from './deps';
import { errorMessage, isFinalHttpError, retryableHttpError } from './http-errors';
import { actionKey } from './keys';
import { findRecipient, loadAccountContext, missingRecipientReason, roleWords, templateVariables } from './recipients';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A call or meeting becomes a task for the CSM, due this many days after the touch. */
export const CALL_TASK_DUE_DAYS = 3;

/** Non-email touches: chat and in-app messages over their webhooks, calls and meetings as CSM tasks. */
export function createTouchActivities({ dataSource, chat, inApp }: ActivityDeps) {
  return {
    /**
     * Delivers the touch once per (run, step, visit), recorded as a run action of its channel with
     * the rendered message, the recipient and the approval that allowed it. Nobody in the addressed
     * role, or a channel without a configured webhook, is `skipped` with the reason; a message the
     * receiver refuses (4xx) is `failed` with its answer. Neither stops the run. A receiver that is
     * down (timeouts, 5xx) throws, and Temporal retries.
     */
    async deliverTouch(input: DeliverTouchInput): Promise<ActionResult> {
      const { touch } = input;
      const idempotencyKey = actionKey(input);
      const repos = repositories(dataSource.manager);
      const { action } = await repos.runActions.beginOnce({
        idempotencyKey,
        runId: input.runId,
        nodeId: input.stepId,
        visit: input.visit,
        playbookVersionId: input.playbookVersionId,
        accountId: input.accountId,
        kind: touch.channel,
        target: touch.to,
        approvalId: input.approvalId,
        reason: input.reason,
      });
      const stored = (status: string, summary: unknown): ActionResult => ({ actionId: action.id, status: status as ActionResult['status'], summary: String(summary ?? '') });
      if (action.status !== 'pending') return stored(action.status, action.detail.summary);
      const finish = async (status: 'done' | 'failed' | 'skipped', summary: string, detail: Record<string, unknown> = {}) =>
        stored(status, (await repos.runActions.update(action.id, status, { ...detail, summary })).detail.summary);

      const ctx = await loadAccountContext(dataSource.manager, input.accountId);
      const recipient = await findRecipient(dataSource.manager, ctx, touch.to);
      if (!recipient) return finish('skipped', missingRecipientReason(ctx, touch.to));
      const vars = templateVariables(ctx, recipient);
      const subject = touch.subject ? renderTemplate(touch.subject, vars) : undefined;
      const body = renderTemplate(touch.body, vars);
      const who = `${recipient.name} (${roleWords(recipient.role)})`;
      const message = { channel: touch.channel, recipient: { name: recipient.name, email: recipient.email, role: recipient.role }, ...(subject ? { subject } : {}), body };

      if (touch.channel === 'call' || touch.channel === 'meeting') {
        const verb = touch.channel === 'call' ? 'Call' : 'Meeting with';
        const title = `${verb} ${who}${subject ? `: ${subject}` : ''}`;
        return dataSource.transaction(async (em) => {
          const tx = repositories(em);
          const task = await tx.tasks.openOnce({
            runId: input.runId,
            nodeId: input.stepId,
            visit: input.visit,
            accountId: input.accountId,
            playbookVersionId: input.playbookVersionId,
            title,
            ownerSide: 'ours',
            ownerRole: 'csm',
            assigneeId: ctx.csm?.id ?? null,
            completion: 'person',
            dueAt: new Date(Date.now() + CALL_TASK_DUE_DAYS * DAY_MS),
            reason: input.reason,
          });
          const owner = ctx.csm ? ctx.csm.name : 'nobody (the account has no CSM)';
          const summary = `${touch.channel === 'call' ? 'Call' : 'Meeting'} task for ${owner}: ${title}, due ${task.dueAt.toISOString()}`;
          const done = await tx.runActions.update(action.id, 'done', { ...message, taskId: task.id, assigneeId: task.assigneeId, summary });
          return stored('done', done.detail.summary);
        });
      }

      const isChat = touch.channel === 'chat';
      const channelWords = isChat ? 'chat' : 'in-app';
      const send: (() => Promise<DeliveryOutcome>) | undefined = isChat
        ? chat && (() => chat.notify({ title: `${subject ?? ctx.account.name} (for ${who})`, body, idempotencyKey }))
        : inApp && (() => inApp.send({ accountId: input.accountId, to: message.recipient, ...(subject ? { subject } : {}), body, idempotencyKey }));
      const notConfigured = `No ${channelWords} webhook is configured (${isChat ? 'CAIRN_CHAT_WEBHOOK_URL' : 'CAIRN_IN_APP_WEBHOOK_URL'})`;
      if (!send) return finish('skipped', notConfigured, message);
      let outcome: DeliveryOutcome;
      try {
        outcome = await send();
      } catch (error) {
        if (!isFinalHttpError(error)) throw retryableHttpError(error);
        return finish('failed', `The ${channelWords} webhook refused the message for ${who}: ${errorMessage(error)}`, { ...message, error: errorMessage(error) });
      }
      if (!outcome.delivered) return finish('skipped', notConfigured, { ...message, adapter: outcome.reason });
      const summary = isChat ? `Posted to chat for ${who}` : `In-app message sent to ${who}`;
      return finish('done', summary, { ...message, statusCode: outcome.status });
    },
  };
}
