import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/config';
import { CHAT_NOT_CONFIGURED, createChatNotifier, formatChatMessage } from './chat';
import { HttpDeliveryError, parseRetryAfter, postJson, sendHttp } from './http-client';
import { createInAppMessenger, IN_APP_NOT_CONFIGURED } from './in-app';
import { createWebhookSender, renderWebhookBody, type WebhookBodyVariables } from './webhook';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 whose paths answer in the ways receivers do. */
let server: Server;
let base: string;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = (req.url ?? '').split('?')[0];
      switch (path) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
          return;
        case '/created':
          res.writeHead(201).end('x'.repeat(5000));
          return;
        case '/boom':
          res.writeHead(500).end('database on fire');
          return;
        case '/unavailable':
          res.writeHead(503, { 'retry-after': '2' }).end();
          return;
        case '/bad':
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'field "email" is required' }));
          return;
        case '/gone':
          res.writeHead(404).end();
          return;
        case '/slow-down':
          res.writeHead(429, { 'retry-after': '7' }).end('too many requests');
          return;
        case '/request-timeout':
          res.writeHead(408).end();
          return;
        case '/hang':
          return; // never answers; afterAll closes the connection
        default:
          res.writeHead(200).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

beforeEach(() => {
  received = [];
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<HttpDeliveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpDeliveryError);
    return error as HttpDeliveryError;
  }
  throw new Error('expected the request to fail');
}

const request = (path: string, overrides: Partial<Parameters<typeof sendHttp>[0]> = {}) =>
  sendHttp({ url: `${base}${path}`, method: 'POST', body: '{"hello":"world"}', timeoutMs: 5000, idempotencyKey: 'run-1:step-1:1', ...overrides });

describe('sendHttp', () => {
  it('sends the body with the idempotency key, content type and user agent, and answers status and body', async () => {
    const response = await request('/ok', { method: 'PUT', headers: { Authorization: 'Bearer t0k3n', 'content-type': 'text/plain', 'X-Extra': 'yes' } });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.bodySnippet)).toEqual({ ok: true });
    expect(typeof response.durationMs).toBe('number');
    expect(received).toHaveLength(1);
    const [got] = received;
    expect(got.method).toBe('PUT');
    expect(got.body).toBe('{"hello":"world"}');
    expect(got.headers['idempotency-key']).toBe('run-1:step-1:1');
    expect(got.headers['content-type']).toBe('application/json'); // ours wins over the caller's
    expect(got.headers['user-agent']).toBe('cairn-worker');
    expect(got.headers.authorization).toBe('Bearer t0k3n');
    expect(got.headers['x-extra']).toBe('yes');
  });

  it('keeps only the first 2000 characters of the response body', async () => {
    const response = await request('/created');
    expect(response.status).toBe(201);
    expect(response.bodySnippet).toBe('x'.repeat(2000));
  });

  it('postJson serializes the value and uses POST', async () => {
    await postJson({ url: `${base}/ok`, body: { a: 1 }, timeoutMs: 5000, idempotencyKey: 'k' });
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('classifies 500 as retryable', async () => {
    const error = await failure(request('/boom'));
    expect(error).toMatchObject({ kind: 'http', status: 500, retryable: true, retryAfterMs: undefined });
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('database on fire');
  });

  it('classifies 400 as not retryable, with the status and the receiver’s answer in the message', async () => {
    const error = await failure(request('/bad'));
    expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false });
    expect(error.message).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/bad answered HTTP 400/);
    expect(error.message).toContain('field \\"email\\" is required');
    expect(error.bodySnippet).toContain('email');
  });

  it('classifies 404 as not retryable and 408 as retryable', async () => {
    expect(await failure(request('/gone'))).toMatchObject({ status: 404, retryable: false });
    expect(await failure(request('/request-timeout'))).toMatchObject({ status: 408, retryable: true });
  });

  it('passes on Retry-After of a 429 and a 503 as retryAfterMs', async () => {
    const limited = await failure(request('/slow-down'));
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    expect(limited.message).toContain('Retry-After 7000 ms');
    expect(await failure(request('/unavailable'))).toMatchObject({ status: 503, retryable: true, retryAfterMs: 2000 });
  });

  it('gives up on a server that never answers with a retryable timeout error', async () => {
    const error = await failure(request('/hang', { timeoutMs: 200 }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true, status: undefined });
    expect(error.message).toContain('timed out after 200 ms');
  });

  it('classifies a refused connection as a retryable network error', async () => {
    const port = await closedPort();
    const error = await failure(sendHttp({ url: `http://127.0.0.1:${port}/hook`, method: 'POST', body: '{}', timeoutMs: 5000, idempotencyKey: 'k' }));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses bad requests without sending them, not retryable', async () => {
    expect(await failure(request('/ok', { url: 'not a url' }))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(await failure(request('/ok', { url: 'ftp://example.com/x' }))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(await failure(request('/ok', { idempotencyKey: '' }))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(await failure(request('/ok', { headers: { 'bad header': 'x' } }))).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(received).toHaveLength(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('webhook sender', () => {
  const cairn = { runId: 'run-1', stepId: 'notify-crm', accountId: 'acc-1', playbookKey: 'onboarding', version: 3, idempotencyKey: 'run-1:notify-crm:1' };
  const vars: WebhookBodyVariables = { account: { name: 'Acme "Rockets" Inc', seats: 40 }, csm: { name: 'Casey Morgan' }, cairn };

  it('renders placeholders (JSON-escaped) and merges the cairn field into an object body', () => {
    const body = renderWebhookBody('{"customer": "{{account.name}}", "seats": {{account.seats}}, "owner": "{{csm.name}}", "missing": "{{account.nope}}", "cairn": "theirs"}', vars);
    expect(JSON.parse(body)).toEqual({ customer: 'Acme "Rockets" Inc', seats: 40, owner: 'Casey Morgan', missing: '', cairn });
  });

  it('sends only the cairn field without a template', () => {
    expect(JSON.parse(renderWebhookBody(undefined, vars))).toEqual({ cairn });
    expect(JSON.parse(renderWebhookBody('  ', vars))).toEqual({ cairn });
  });

  it('sends JSON that is not an object as rendered', () => {
    expect(renderWebhookBody('["{{account.name}}"]', vars)).toBe('["Acme \\"Rockets\\" Inc"]');
  });

  it('refuses a template that does not render to JSON, not retryable', () => {
    let thrown: unknown;
    try {
      renderWebhookBody('customer={{account.name}}', vars);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpDeliveryError);
    expect(thrown).toMatchObject({ retryable: false, kind: 'invalid_request' });
    expect((thrown as Error).message).toContain('does not render to valid JSON');
  });

  it('sends the rendered body with the step’s method, headers and idempotency key', async () => {
    const sender = createWebhookSender({ timeoutMs: 5000 });
    const body = renderWebhookBody('{"name": "{{account.name}}"}', vars);
    const response = await sender.send({ url: `${base}/ok?token=abc`, method: 'PATCH', headers: { 'X-Signature': 'sig' }, body, idempotencyKey: cairn.idempotencyKey });

    expect(response.status).toBe(200);
    expect(received[0]).toMatchObject({ method: 'PATCH', url: '/ok?token=abc' });
    expect(received[0].headers).toMatchObject({ 'idempotency-key': 'run-1:notify-crm:1', 'x-signature': 'sig', 'content-type': 'application/json' });
    expect(JSON.parse(received[0].body)).toEqual({ name: 'Acme "Rockets" Inc', cairn });
  });

  it('uses its configured timeout and keeps query strings out of error messages', async () => {
    const error = await failure(createWebhookSender({ timeoutMs: 200 }).send({ url: `${base}/hang?secret=s3cr3t`, method: 'POST', body: '{}', idempotencyKey: 'k' }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).not.toContain('s3cr3t');
  });
});

describe('chat notifier', () => {
  const message = { title: 'Approval needed', body: 'Kickoff email for <Acme & Co>', link: 'http://localhost:5173/approvals/1', idempotencyKey: 'chat-1' };

  it('answers delivered: false when CAIRN_CHAT_WEBHOOK_URL is not set', async () => {
    await expect(createChatNotifier({ webhookUrl: undefined, timeoutMs: 5000 }).notify(message)).resolves.toEqual({ delivered: false, reason: CHAT_NOT_CONFIGURED });
    expect(CHAT_NOT_CONFIGURED).toBe('CAIRN_CHAT_WEBHOOK_URL is not set');
  });

  it('posts Slack-compatible text: bold title, escaped body, link', async () => {
    const outcome = await createChatNotifier({ webhookUrl: `${base}/services/T000/B000/XXXX`, timeoutMs: 5000 }).notify(message);

    expect(outcome).toMatchObject({ delivered: true, status: 200 });
    expect(received[0].headers['idempotency-key']).toBe('chat-1');
    expect(JSON.parse(received[0].body)).toEqual({ text: '*Approval needed*\nKickoff email for &lt;Acme &amp; Co&gt;\n<http://localhost:5173/approvals/1|Open in Cairn>' });
  });

  it('formats a message without a link', () => {
    expect(formatChatMessage({ title: 'Run failed', body: 'Step 3' })).toEqual({ text: '*Run failed*\nStep 3' });
  });

  it('throws the classified error, without the secret webhook path in the message', async () => {
    const error = await failure(createChatNotifier({ webhookUrl: `${base}/boom`, timeoutMs: 5000 }).notify(message));
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(error.message).not.toContain('/boom');
  });
});

describe('in-app messenger', () => {
  const message = { accountId: 'acc-1', to: { email: 'champion@acme.test', name: 'Dana' }, subject: 'Welcome', body: 'Your workspace is ready', idempotencyKey: 'inapp-1' };

  it('answers delivered: false when CAIRN_IN_APP_WEBHOOK_URL is not set', async () => {
    await expect(createInAppMessenger({ webhookUrl: undefined, timeoutMs: 5000 }).send(message)).resolves.toEqual({ delivered: false, reason: IN_APP_NOT_CONFIGURED });
  });

  it('posts the message with its idempotency key', async () => {
    const outcome = await createInAppMessenger({ webhookUrl: `${base}/in-app`, timeoutMs: 5000 }).send(message);
    expect(outcome).toMatchObject({ delivered: true, status: 200 });
    expect(received[0].headers['idempotency-key']).toBe('inapp-1');
    expect(JSON.parse(received[0].body)).toEqual(message);
  });

  it('throws a non-retryable error when the endpoint refuses the message', async () => {
    expect(await failure(createInAppMessenger({ webhookUrl: `${base}/bad`, timeoutMs: 5000 }).send(message))).toMatchObject({ status: 400, retryable: false });
  });
});

describe('HTTP configuration', () => {
  const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/x' };

  it('defaults to no chat or in-app webhook and a 10 s timeout', () => {
    expect(loadConfig(env)).toMatchObject({ chatWebhookUrl: undefined, inAppWebhookUrl: undefined, httpTimeoutMs: 10_000 });
    expect(loadConfig({ ...env, CAIRN_CHAT_WEBHOOK_URL: '', CAIRN_HTTP_TIMEOUT_MS: '' })).toMatchObject({ chatWebhookUrl: undefined, httpTimeoutMs: 10_000 });
  });

  it('reads the URLs and the timeout, and refuses bad values', () => {
    expect(
      loadConfig({ ...env, CAIRN_CHAT_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', CAIRN_IN_APP_WEBHOOK_URL: 'http://product.internal/messages', CAIRN_HTTP_TIMEOUT_MS: '2500' }),
    ).toMatchObject({ chatWebhookUrl: 'https://hooks.slack.com/services/T/B/X', inAppWebhookUrl: 'http://product.internal/messages', httpTimeoutMs: 2500 });
    expect(() => loadConfig({ ...env, CAIRN_CHAT_WEBHOOK_URL: 'not a url' })).toThrow(/chatWebhookUrl/);
    expect(() => loadConfig({ ...env, CAIRN_HTTP_TIMEOUT_MS: 'ten' })).toThrow(/httpTimeoutMs/);
    expect(() => loadConfig({ ...env, CAIRN_HTTP_TIMEOUT_MS: '0' })).toThrow(/httpTimeoutMs/);
  });
});
