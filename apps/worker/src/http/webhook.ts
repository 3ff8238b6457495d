import { renderTemplate, type TemplateVariables } from '@cairn/playbook';
import { HttpDeliveryError, type HttpMethod, type HttpResponse, sendHttp } from './http-client';

/** The `cairn` object merged into every webhook body: which run, step and account sent it. */
export interface WebhookCairnFields {
  runId: string;
  stepId: string;
  accountId: string;
  playbookKey: string;
  version: number;
  idempotencyKey: string;
}

/** Template variables (`account.*`, `csm.*`, …) plus the `cairn` fields, also usable as `{{cairn.runId}}`. */
export type WebhookBodyVariables = TemplateVariables & { cairn: WebhookCairnFields };

/** String values escaped for the inside of a JSON string literal, so `"{{account.name}}"` stays valid JSON whatever the name. */
function jsonEscaped(value: unknown): unknown {
  if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
  if (Array.isArray(value)) return value.map(jsonEscaped);
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonEscaped(v)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The request body of a webhook step, as JSON text. The template's `{{path}}` placeholders are
 * rendered with `@cairn/playbook`'s `renderTemplate` (string values JSON-escaped, so placeholders
 * belong inside string literals: `{"name": "{{account.name}}"}`). When the result is a JSON object,
 * or there is no template, `vars.cairn` is merged in as the `cairn` field (replacing any the
 * template wrote); other valid JSON (an array, a string) is sent as rendered.
 * Throws a non-retryable {@link HttpDeliveryError} when the rendered template is not valid JSON.
 */
export function renderWebhookBody(template: string | undefined, vars: WebhookBodyVariables): string {
  const cairn = vars.cairn;
  if (template === undefined || !template.trim()) return JSON.stringify({ cairn });
  const rendered = renderTemplate(template, jsonEscaped(vars) as TemplateVariables);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HttpDeliveryError(`The webhook body template does not render to valid JSON (${why}); fix the step's body`, {
      kind: 'invalid_request',
      retryable: false,
      cause: error,
    });
  }
  return isPlainObject(parsed) ? JSON.stringify({ ...parsed, cairn }) : rendered;
}

export interface WebhookSenderDeps {
  timeoutMs: number;
}

export interface WebhookRequest {
  url: string;
  method: HttpMethod;
  headers?: Record<string, string>;
  /** JSON text, typically from {@link renderWebhookBody}. */
  body: string;
  idempotencyKey: string;
}

export interface WebhookSender {
  /** One attempt; throws {@link HttpDeliveryError} (see `retryable`) unless the answer is 2xx. */
  send(request: WebhookRequest): Promise<HttpResponse>;
}

/** Calls webhook steps' URLs with the configured timeout. */
export function createWebhookSender(deps: WebhookSenderDeps): WebhookSender {
  return {
    send: ({ url, method, headers, body, idempotencyKey }) => sendHttp({ url, method, headers, body, idempotencyKey, timeoutMs: deps.timeoutMs }),
  };
}
