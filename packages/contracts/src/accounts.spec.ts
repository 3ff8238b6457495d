import type { z } from 'zod';
import { accountSchema, canonicalTimezone, createAccountRequestSchema, normalizeDomain, updateAccountRequestSchema } from './accounts';

type Case = [name: string, schema: z.ZodType, input: unknown, ok: boolean];

const cases: Case[] = [
  ['timezone only', updateAccountRequestSchema, { timezone: 'Europe/Berlin' }, true],
  ['attributes and metrics', updateAccountRequestSchema, { attributes: { plan: 'enterprise', seats: 120, renewal_date: '2027-03-01', sso: true }, metrics: { weekly_active_users: 87 } }, true],
  ['deleting an attribute', updateAccountRequestSchema, { attributes: { region: null, renewal_date: null } }, true],
  ['nothing to change', updateAccountRequestSchema, {}, false],
  ['an unknown timezone', updateAccountRequestSchema, { timezone: 'Mars/Olympus_Mons' }, false],
  ['a blank timezone', updateAccountRequestSchema, { timezone: ' ' }, false],
  ['a date attribute that is not a date', updateAccountRequestSchema, { attributes: { renewal_date: 'next spring' } }, false],
  ['a date attribute with a time', updateAccountRequestSchema, { attributes: { renewal_date: '2027-03-01T00:00:00Z' } }, false],
  ['a date attribute that is a number', updateAccountRequestSchema, { attributes: { renewal_date: 20270301 } }, false],
  ['an attribute name in camel case', updateAccountRequestSchema, { attributes: { renewalDate: '2027-03-01' } }, false],
  ['an attribute holding an object', updateAccountRequestSchema, { attributes: { plan: { tier: 1 } } }, false],
  ['a metric that is not a number', updateAccountRequestSchema, { metrics: { nps: '42' } }, false],
  ['deleting a metric with null', updateAccountRequestSchema, { metrics: { nps: null } }, false],
  ['a metric name with a dot', updateAccountRequestSchema, { metrics: { 'metric.nps': 1 } }, false],
  ['renaming the account (mass assignment)', updateAccountRequestSchema, { name: 'Acme', timezone: 'UTC' }, false],
  ['moving the segment (mass assignment)', updateAccountRequestSchema, { segmentId: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f' }, false],
  ['a health with a score', updateAccountRequestSchema, { health: { status: 'yellow', score: 64 } }, true],
  ['a health without a score', updateAccountRequestSchema, { health: { status: 'red' } }, true],
  ['clearing the health', updateAccountRequestSchema, { health: null }, true],
  ['a health colour we do not use', updateAccountRequestSchema, { health: { status: 'amber' } }, false],
  ['a health score over 100', updateAccountRequestSchema, { health: { status: 'green', score: 101 } }, false],
  ['a fractional health score', updateAccountRequestSchema, { health: { status: 'green', score: 80.5 } }, false],
  ['linking and unlinking external ids', updateAccountRequestSchema, { externalIds: { hubspot: 'hs-1', zendesk: null } }, true],
  ['a system name in capitals', updateAccountRequestSchema, { externalIds: { Salesforce: '001' } }, false],
  ['a blank external id', updateAccountRequestSchema, { externalIds: { salesforce: ' ' } }, false],
  ['create: the least', createAccountRequestSchema, { name: 'Acme', segmentKey: 'high-touch' }, true],
  [
    'create: everything',
    createAccountRequestSchema,
    { name: 'Acme', domain: 'acme.com', segmentKey: 'high-touch', csmId: null, timezone: 'Europe/Berlin', attributes: { seats: 3 }, metrics: { nps: 40 }, externalIds: { salesforce: '001' }, health: { status: 'green', score: 90 } },
    true,
  ],
  ['create: no name', createAccountRequestSchema, { segmentKey: 'high-touch' }, false],
  ['create: no segment', createAccountRequestSchema, { name: 'Acme' }, false],
  ['create: not a domain', createAccountRequestSchema, { name: 'Acme', segmentKey: 'k', domain: 'acme' }, false],
  ['create: removing an external id makes no sense', createAccountRequestSchema, { name: 'Acme', segmentKey: 'k', externalIds: { salesforce: null } }, false],
  ['create: choosing the id (mass assignment)', createAccountRequestSchema, { id: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f', name: 'Acme', segmentKey: 'k' }, false],
];

describe('account contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });

  it('stores the canonical timezone name', () => {
    expect(updateAccountRequestSchema.parse({ timezone: 'america/new_york' })).toEqual({ timezone: 'America/New_York' });
    expect(canonicalTimezone('Nowhere/Special')).toBeNull();
  });

  it.each([
    ['acme.com', 'acme.com'],
    ['  ACME.com ', 'acme.com'],
    ['https://www.acme.com/about?x=1', 'www.acme.com'],
    ['acme.com:8443', 'acme.com'],
    ['eu.acme-analytics.example', 'eu.acme-analytics.example'],
    ['acme', null],
    ['acme..com', null],
    ['-acme.com', null],
    ['acme.com/ with spaces', 'acme.com'],
    ['ac me.com', null],
  ])('reads the domain %j as %j', (text, domain) => {
    expect(normalizeDomain(text)).toBe(domain);
  });

  it('names the offending attribute', () => {
    const result = updateAccountRequestSchema.safeParse({ attributes: { renewal_date: 'soon', Plan: 'x' } });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['attributes.Plan', 'attributes.renewal_date']);
  });

  it('reads an account answer from before profiles with the defaults', () => {
    const old = { id: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f', name: 'Acme', segment: { id: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f', key: 'k', name: 'K' }, csm: null, stakeholders: [] };
    expect(accountSchema.parse(old)).toMatchObject({ timezone: 'UTC', attributes: {}, metrics: {}, domain: null, externalIds: {}, health: null });
  });
});
