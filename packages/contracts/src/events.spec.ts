import type { z } from 'zod';
import { accountEventInputSchema, ingestEventsRequestSchema, listAccountEventsQuerySchema, MAX_EVENTS_PER_BATCH, trackEventInputSchema, trackEventType } from './events';

const uuid = '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f';
const ours = { accountId: uuid, type: 'product.sso_configured' };
const track = { type: 'track', event: 'SSO Configured', groupId: uuid, properties: { provider: 'okta' }, timestamp: '2026-11-20T10:00:00Z', messageId: 'msg-1' };

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

const cases: Case[] = [
  ['ours: the least', accountEventInputSchema, ours, true],
  ['ours: everything', accountEventInputSchema, { ...ours, data: { provider: 'okta' }, occurredAt: '2026-11-20T10:00:00+01:00', idempotencyKey: 'k-1' }, true],
  ['ours: no account', accountEventInputSchema, { type: 'product.x' }, false],
  ['ours: an undotted type', accountEventInputSchema, { ...ours, type: 'sso_configured' }, false],
  ['ours: an upper-case type', accountEventInputSchema, { ...ours, type: 'Product.SSO' }, false],
  ['ours: data that is not an object', accountEventInputSchema, { ...ours, data: [1] }, false],
  ['ours: a date without offset', accountEventInputSchema, { ...ours, occurredAt: '2026-11-20T10:00:00' }, false],
  ['ours: a blank idempotency key', accountEventInputSchema, { ...ours, idempotencyKey: ' ' }, false],
  ['ours: an unknown field', accountEventInputSchema, { ...ours, source: 'cairn' }, false],
  ['ours: choosing the id (mass assignment)', accountEventInputSchema, { ...ours, id: uuid }, false],
  ['track: the Segment shape', trackEventInputSchema, track, true],
  ['track: with userId and the Segment envelope', trackEventInputSchema, { ...track, userId: 'u-7', anonymousId: 'a', context: { ip: '1.2.3.4' }, sentAt: '2026-11-20T10:00:01Z', version: 2 }, true],
  ['track: no groupId', trackEventInputSchema, { ...track, groupId: undefined }, false],
  ['track: no messageId', trackEventInputSchema, { ...track, messageId: undefined }, false],
  ['track: no timestamp', trackEventInputSchema, { ...track, timestamp: undefined }, false],
  ['track: an unknown field', trackEventInputSchema, { ...track, accountId: uuid }, false],
  ['request: one of ours', ingestEventsRequestSchema, ours, true],
  ['request: one track', ingestEventsRequestSchema, track, true],
  ['request: a mixed batch', ingestEventsRequestSchema, { events: [ours, track] }, true],
  ['request: an empty batch', ingestEventsRequestSchema, { events: [] }, false],
  ['request: a batch of 1,000', ingestEventsRequestSchema, { events: Array.from({ length: MAX_EVENTS_PER_BATCH }, () => ours) }, true],
  ['request: a batch of 1,001', ingestEventsRequestSchema, { events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => ours) }, false],
  ['request: a batch with an unknown field', ingestEventsRequestSchema, { events: [ours], source: 'x' }, false],
  ['request: a batch row with an unknown field', ingestEventsRequestSchema, { events: [{ ...ours, extra: 1 }] }, false],
  ['request: a bare array', ingestEventsRequestSchema, [ours], false],
  ['request: nothing', ingestEventsRequestSchema, {}, false],
  ['events query: empty', listAccountEventsQuerySchema, {}, true],
  ['events query: a page', listAccountEventsQuerySchema, { limit: '20', cursor: 'abc' }, true],
  ['events query: too many', listAccountEventsQuerySchema, { limit: '201' }, false],
  ['events query: an unknown parameter', listAccountEventsQuerySchema, { source: 'api' }, false],
];

describe('event contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });

  it.each([
    ['SSO Configured', 'product.sso_configured'],
    ['reportExported', 'product.report_exported'],
    ['Order Completed', 'product.order_completed'],
    ['  Seats  Added!! ', 'product.seats_added'],
    ['crm.champion_left', 'crm.champion_left'],
    ['CRM.Champion Left', 'crm.champion_left'],
    ['billing.invoicePaid', 'billing.invoice_paid'],
  ])('maps the track event %j to %j', (event, type) => {
    expect(trackEventType(event)).toBe(type);
  });

  it('normalizes a track call to our shape: messageId is the idempotency key, groupId the account', () => {
    expect(ingestEventsRequestSchema.parse({ ...track, userId: 'u-7' })).toEqual({
      batch: false,
      events: [{ source: 'track', account: { id: uuid }, type: 'product.sso_configured', data: { provider: 'okta', userId: 'u-7' }, occurredAt: '2026-11-20T10:00:00Z', idempotencyKey: 'msg-1' }],
    });
    expect(ingestEventsRequestSchema.parse({ ...track, groupId: 'Acme-Analytics.example' }).events[0].account).toEqual({ domain: 'acme-analytics.example' });
  });

  it('names the field of a bad row in a batch', () => {
    const result = ingestEventsRequestSchema.safeParse({ events: [ours, { ...ours, type: 'nope' }, { ...track, extra: 1 }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['events.1.type', 'invalid_format'],
      ['events.2', 'unrecognized_keys'],
    ]);
  });

  it('refuses a track event name that maps to no event type, at `event`', () => {
    const result = ingestEventsRequestSchema.safeParse({ ...track, event: '42' });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['event']);
  });
});
