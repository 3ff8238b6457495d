import type { DeliveryOutcome } from './delivery';
import { postJson } from './http-client';

export interface InAppMessengerDeps {
  /** The product's in-app message endpoint (CAIRN_IN_APP_WEBHOOK_URL); undefined turns in-app messages off. */
  webhookUrl: string | undefined;
  timeoutMs: number;
}

/** Who in the customer's account sees the message. */
export interface InAppRecipient {
  email: string;
  name?: string;
  role?: string;
}

/** Posted as-is (JSON) to the in-app endpoint. */
export interface InAppMessage {
  accountId: string;
  to: InAppRecipient;
  subject?: string;
  body: string;
  idempotencyKey: string;
}

export interface InAppMessenger {
  /**
   * Posts `{ accountId, to, subject, body, idempotencyKey }`, or answers `{ delivered: false }` when
   * no endpoint is configured. Throws {@link HttpDeliveryError} (see `retryable`) unless the answer is 2xx.
   */
  send(message: InAppMessage): Promise<DeliveryOutcome>;
}

export const IN_APP_NOT_CONFIGURED = 'CAIRN_IN_APP_WEBHOOK_URL is not set';

/** In-app messages through the product's webhook; optional in development. */
export function createInAppMessenger(deps: InAppMessengerDeps): InAppMessenger {
  return {
    async send({ accountId, to, subject, body, idempotencyKey }) {
      if (!deps.webhookUrl) return { delivered: false, reason: IN_APP_NOT_CONFIGURED };
      const response = await postJson(
        { url: deps.webhookUrl, body: { accountId, to, subject, body, idempotencyKey }, timeoutMs: deps.timeoutMs, idempotencyKey },
        { redactPath: true },
      );
      return { delivered: true, ...response };
    },
  };
}
