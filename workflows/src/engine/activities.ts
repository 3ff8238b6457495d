import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PlaybookActivities } from '../activities';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;

/** Side effects: each is retried until it succeeds; idempotency keys make the retries harmless. */
export const acts = proxyActivities<PlaybookActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * Bookkeeping the run does at every step (writing its history, re-reading the account): local
 * activities, run by the worker inside the workflow task, so they cost a database round trip and
 * no extra trip through Temporal.
 */
export const local = proxyLocalActivities<Pick<PlaybookActivities, 'recordSteps' | 'loadAccountFacts'>>({ startToCloseTimeout: '30 seconds', retry });

/** A webhook step's own retry policy: its `retries`, then the `failed` output. */
export function webhookActivity(retries: number) {
  return proxyActivities<Pick<PlaybookActivities, 'callWebhook'>>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: retries + 1, nonRetryableErrorTypes: ['WebhookRejected'] },
  }).callWebhook;
}
