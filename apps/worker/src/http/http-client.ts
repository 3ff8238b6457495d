/**
 * Outgoing HTTP for the worker's side effects (webhook steps, chat, in-app messages): one request,
 * no retries and no sleeping here. Temporal retries the activity; this module only says whether a
 * retry can help (`HttpDeliveryError.retryable`) and how long the receiver asked us to wait
 * (`retryAfterMs`).
 */

export type HttpMethod = 'POST' | 'PUT' | 'PATCH';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  /** Extra headers; `Content-Type`, `User-Agent` and `Idempotency-Key` are always ours. */
  headers?: Record<string, string>;
  /** The request body, already serialized (JSON text). */
  body: string;
  /** Covers connecting, the response and reading the body snippet. */
  timeoutMs: number;
  /** Sent as `Idempotency-Key`, the same on every retry, so receivers can drop duplicates. */
  idempotencyKey: string;
}

export interface HttpResponse {
  status: number;
  /** The first {@link BODY_SNIPPET_CHARS} characters of the response body. */
  bodySnippet: string;
  durationMs: number;
}

/** Why a delivery failed: `http` is an answer outside 2xx, the others are no answer at all. */
export type HttpFailureKind = 'timeout' | 'network' | 'http' | 'invalid_request';

export const USER_AGENT = 'cairn-worker';
export const BODY_SNIPPET_CHARS = 2000;
/** Statuses worth retrying besides 5xx: Request Timeout and Too Many Requests. */
const RETRYABLE_STATUSES = new Set([408, 429]);
/** Statuses whose `Retry-After` we pass on. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export interface HttpDeliveryErrorDetails {
  kind: HttpFailureKind;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  bodySnippet?: string;
  cause?: unknown;
}

/** A delivery that did not succeed, classified for the caller's retry policy. */
export class HttpDeliveryError extends Error {
  readonly kind: HttpFailureKind;
  /** Network errors, timeouts, 5xx, 408 and 429 are retryable; other 4xx and bad requests are not. */
  readonly retryable: boolean;
  /** The HTTP status, when the receiver answered. */
  readonly status?: number;
  /** From `Retry-After` on a 429 or 503 (seconds or an HTTP date), in milliseconds from now. */
  readonly retryAfterMs?: number;
  readonly bodySnippet?: string;

  constructor(message: string, details: HttpDeliveryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HttpDeliveryError';
    this.kind = details.kind;
    this.retryable = details.retryable;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.bodySnippet = details.bodySnippet;
  }
}

export function isHttpDeliveryError(error: unknown): error is HttpDeliveryError {
  return error instanceof HttpDeliveryError;
}

/** Whether an HTTP status is worth retrying: 5xx, 408 and 429. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Where a request went, for messages: method, origin and path, never the query string or
 * credentials. (Chat webhook URLs carry their secret in the path, so the adapters that use one
 * pass `redact` to leave the path out too.)
 */
function describeTarget(method: string, url: URL, redactPath: boolean): string {
  return `${method} ${url.origin}${redactPath ? '' : url.pathname}`;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** An error's message, read by shape: fetch's errors may come from another realm (jest, vm). */
function messageOf(error: unknown): string | undefined {
  const message = error && typeof error === 'object' ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}

function causeMessage(error: unknown): string {
  const outer = messageOf(error) ?? String(error);
  const inner = messageOf(error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined);
  return inner && inner !== outer ? `${outer}: ${inner}` : outer;
}

/** Reads at most about `maxChars` characters of the body, then stops the download. */
async function readSnippet(response: Response, maxChars: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, maxChars);
}

export interface SendHttpOptions {
  /** Leave the URL's path out of error messages (it holds a secret, as chat webhook URLs do). */
  redactPath?: boolean;
}

/**
 * Sends one request with Node's `fetch`, bounded by `AbortSignal.timeout(timeoutMs)`.
 * Resolves for 2xx answers; throws {@link HttpDeliveryError} for everything else.
 */
export async function sendHttp(request: HttpRequest, options: SendHttpOptions = {}): Promise<HttpResponse> {
  const { method, body, timeoutMs, idempotencyKey } = request;
  const redactPath = options.redactPath ?? false;
  const invalid = (message: string, cause?: unknown) => new HttpDeliveryError(message, { kind: 'invalid_request', retryable: false, cause });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch (error) {
    throw invalid(`Cannot send ${method}: "${redactPath ? '(redacted)' : request.url}" is not a valid URL`, error);
  }
  const target = describeTarget(method, url, redactPath);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`Cannot send ${target}: only http and https URLs are supported`);
  if (url.username || url.password) throw invalid(`Cannot send ${target}: URLs with credentials are not supported; pass an Authorization header`);
  if (!idempotencyKey) throw invalid(`Cannot send ${target}: an idempotency key is required`);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw invalid(`Cannot send ${target}: timeoutMs must be a positive number (got ${timeoutMs})`);

  let headers: Headers;
  try {
    headers = new Headers(request.headers ?? {});
    headers.set('Content-Type', 'application/json');
    headers.set('User-Agent', USER_AGENT);
    headers.set('Idempotency-Key', idempotencyKey);
  } catch (error) {
    throw invalid(`Cannot send ${target}: invalid headers (${causeMessage(error)})`, error);
  }

  // Our signal is the only one, so a fired signal means the time ran out (checked on the signal,
  // not the error's class: fetch's DOMException may come from another realm).
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, { method, headers, body, signal });
    const bodySnippet = await readSnippet(response, BODY_SNIPPET_CHARS);
    const durationMs = elapsed();
    if (response.ok) return { status: response.status, bodySnippet, durationMs };

    const status = response.status;
    const retryable = isRetryableStatus(status);
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    const statusText = response.statusText ? ` ${response.statusText}` : '';
    const excerpt = bodySnippet.trim() ? `: ${bodySnippet.trim().slice(0, 200)}` : '';
    const wait = retryAfterMs !== undefined ? ` (Retry-After ${retryAfterMs} ms)` : '';
    const verdict = retryable ? 'retryable' : 'not retryable';
    throw new HttpDeliveryError(`${target} answered HTTP ${status}${statusText}, ${verdict}${wait}${excerpt}`, {
      kind: 'http',
      retryable,
      status,
      retryAfterMs,
      bodySnippet,
    });
  } catch (error) {
    if (error instanceof HttpDeliveryError) throw error;
    if (signal.aborted || (error as { name?: unknown })?.name === 'TimeoutError') {
      throw new HttpDeliveryError(`${target} timed out after ${timeoutMs} ms, retryable`, { kind: 'timeout', retryable: true, cause: error });
    }
    const code = causeCode(error);
    throw new HttpDeliveryError(`${target} failed${code ? ` (${code})` : ''}: ${causeMessage(error)}, retryable`, { kind: 'network', retryable: true, cause: error });
  }
}

/** `sendHttp` with method POST and a value serialized as JSON. */
export function postJson(request: Omit<HttpRequest, 'method' | 'body'> & { body: unknown }, options?: SendHttpOptions): Promise<HttpResponse> {
  return sendHttp({ ...request, method: 'POST', body: JSON.stringify(request.body) }, options);
}
