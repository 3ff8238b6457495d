import { repositories } from '@cairn/db';
import type { ActionResult, CallWebhookInput } from '@cairn/workflows';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createWebhookSender, renderWebhookBody, type WebhookBodyVariables } from '../http';
import type { ActivityDeps } from './deps';
import { errorMessage, isFinalHttpError, retryableHttpError } from './http-errors';
import { actionKey } from './keys';
import type { AccountContext } from './recipients';
import { loadAccountContext } from './recipients';

/** Per-request timeout when the worker was not given a webhook sender (CAIRN_HTTP_TIMEOUT_MS's default). */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * What a webhook body may use: `account.*` (id, name, domain, timezone, each attribute and metric by
 * name, and `attributes` and `metrics` whole), `csm.*`, `run.*` (id, stepId, visit, playbookKey,
 * playbookVersionId, version) and `cairn.*`, the fields added to the body as `cairn`.
 */
export function webhookVariables(input: CallWebhookInput, ctx: AccountContext, version: number, idempotencyKey: string): WebhookBodyVariables {
  const a = ctx.account;
  return {
    account: { ...a.metrics, ...a.attributes, id: a.id, name: a.name, domain: a.domain, timezone: a.timezone, attributes: a.attributes, metrics: a.metrics },
    csm: ctx.csm ? { name: ctx.csm.name, email: ctx.csm.email } : {},
    run: { id: input.runId, stepId: input.stepId, visit: input.visit, playbookKey: input.playbookKey, playbookVersionId: input.playbookVersionId, version },
    cairn: { runId: input.runId, stepId: input.stepId, accountId: a.id, playbookKey: input.playbookKey, version, idempotencyKey },
  };
}

/** Webhook steps: calls out over HTTP through the webhook sender, recorded as a run action `webhook`. */
export function createWebhookActivities({ dataSource, webhook = createWebhookSender({ timeoutMs: DEFAULT_TIMEOUT_MS }) }: ActivityDeps) {
  return {
    /**
     * Calls the URL until it answers 2xx once per (run, step, visit): a retry after success returns
     * the recorded answer. The action row is `pending` through the attempts (each one noted), then
     * `done` with the status code, or `failed` with the error when the receiver refused (4xx other
     * than 408/429, or a body that is not JSON: thrown non-retryable as `WebhookRejected`) or on the
     * step's last attempt (`maxAttempts`). Other errors are thrown as they are (with the receiver's
     * Retry-After when it sent one) and Temporal retries them by the step's policy.
     */
    async callWebhook(input: CallWebhookInput): Promise<ActionResult> {
      const attempt = Context.current().info.attempt;
      const idempotencyKey = actionKey(input);
      const repos = repositories(dataSource.manager);
      const { action } = await repos.runActions.beginOnce({
        idempotencyKey,
        runId: input.runId,
        nodeId: input.stepId,
        visit: input.visit,
        playbookVersionId: input.playbookVersionId,
        accountId: input.accountId,
        kind: 'webhook',
        target: input.url,
        approvalId: null,
        reason: input.reason,
        detail: { method: input.method },
      });
      if (action.status === 'done') return { actionId: action.id, status: 'done', summary: String(action.detail.summary ?? '') };
      if (action.status === 'failed') throw ApplicationFailure.nonRetryable(String(action.detail.error ?? 'The webhook failed'), 'WebhookRejected');

      const failed = async (error: unknown, statusCode?: number) => {
        const why = errorMessage(error);
        await repos.runActions.update(action.id, 'failed', { error: why, attempts: attempt, summary: `${input.method} ${input.url} failed: ${why}`, ...(statusCode ? { statusCode } : {}) });
        return why;
      };
      try {
        const ctx = await loadAccountContext(dataSource.manager, input.accountId);
        const version = (await repos.playbooks.versionNumber(input.playbookVersionId)) ?? 0;
        const body = renderWebhookBody(input.body, webhookVariables(input, ctx, version, idempotencyKey));
        await repos.runActions.update(action.id, 'pending', { attempts: attempt, lastAttemptAt: new Date().toISOString() });
        const response = await webhook.send({ url: input.url, method: input.method, headers: input.headers, body, idempotencyKey });
        const summary = `${input.method} ${input.url}: HTTP ${response.status}${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
        await repos.runActions.update(action.id, 'done', { statusCode: response.status, attempts: attempt, durationMs: response.durationMs, summary });
        return { actionId: action.id, status: 'done', summary };
      } catch (error) {
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          await failed(error); // the account is gone: final, though not the receiver's doing
          throw error;
        }
        const statusCode = (error as { status?: number }).status;
        if (isFinalHttpError(error)) throw ApplicationFailure.nonRetryable(await failed(error, statusCode), 'WebhookRejected');
        if (attempt >= input.maxAttempts) await failed(error, statusCode);
        else await repos.runActions.update(action.id, 'pending', { lastError: errorMessage(error), attempts: attempt, ...(statusCode ? { statusCode } : {}) });
        throw retryableHttpError(error);
      }
    },
  };
}
