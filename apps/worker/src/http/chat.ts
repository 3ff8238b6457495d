import type { DeliveryOutcome } from './delivery';
import { postJson } from './http-client';

export interface ChatNotifierDeps {
  /** A Slack-compatible incoming webhook (CAIRN_CHAT_WEBHOOK_URL); undefined turns chat off. */
  webhookUrl: string | undefined;
  timeoutMs: number;
}

export interface ChatMessage {
  title: string;
  body: string;
  /** Where to act on it, e.g. the run or the approval in the web app. */
  link?: string;
  idempotencyKey: string;
}

/** Slack's incoming-webhook payload (only `text`; `blocks` would be optional). */
export interface ChatPayload {
  text: string;
}

export interface ChatNotifier {
  /**
   * Posts the message, or answers `{ delivered: false }` when no webhook is configured.
   * Throws {@link HttpDeliveryError} (see `retryable`) when the webhook does not answer 2xx.
   */
  notify(message: ChatMessage): Promise<DeliveryOutcome>;
}

export const CHAT_NOT_CONFIGURED = 'CAIRN_CHAT_WEBHOOK_URL is not set';

/** Slack mrkdwn control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `*title*`, the body, then `<link|Open in Cairn>`, as Slack mrkdwn. */
export function formatChatMessage(message: Pick<ChatMessage, 'title' | 'body' | 'link'>): ChatPayload {
  const lines = [`*${escapeMrkdwn(message.title.trim())}*`];
  if (message.body.trim()) lines.push(escapeMrkdwn(message.body.trim()));
  if (message.link) lines.push(`<${message.link.replace(/[|>]/g, encodeURIComponent)}|Open in Cairn>`);
  return { text: lines.join('\n') };
}

/** Chat notifications through a Slack-compatible incoming webhook; optional in development. */
export function createChatNotifier(deps: ChatNotifierDeps): ChatNotifier {
  return {
    async notify(message) {
      if (!deps.webhookUrl) return { delivered: false, reason: CHAT_NOT_CONFIGURED };
      // The URL's path is the webhook's secret: keep it out of error messages.
      const response = await postJson(
        { url: deps.webhookUrl, body: formatChatMessage(message), timeoutMs: deps.timeoutMs, idempotencyKey: message.idempotencyKey },
        { redactPath: true },
      );
      return { delivered: true, ...response };
    },
  };
}
