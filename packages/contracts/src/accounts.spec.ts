import type { z } from 'zod';
import { accountSchema, canonicalTimezone, updateAccountRequestSchema } from './accounts';

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
];

describe('account contracts', () => {
  it.each(cases)('%s', (_name, schema, input, ok) => {
    expect(schema.safeParse(input).success).toBe(ok);
  });

  it('stores the canonical timezone name', () => {
    expect(updateAccountRequestSchema.parse({ timezone: 'america/new_york' })).toEqual({ timezone: 'America/New_York' });
    expect(canonicalTimezone('Nowhere/Special')).toBeNull();
  });

  it('names the offending attribute', () => {
    const result = updateAccountRequestSchema.safeParse({ attributes: { renewal_date: 'soon', Plan: 'x' } });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['attributes.Plan', 'attributes.renewal_date']);
  });

  it('reads an account answer from before profiles with the defaults', () => {
    const old = { id: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f', name: 'Acme', segment: { id: '3f1c2a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f', key: 'k', name: 'K' }, csm: null, stakeholders: [] };
    expect(accountSchema.parse(old)).toMatchObject({ timezone: 'UTC', attributes: {}, metrics: {} });
  });
});
