import { type Comparison, comparisonSchema } from '../conditions';
import { describeCondition, evaluateCondition, explainCondition } from './conditions';
import { accountSnapshotSchema, type Facts } from './facts';

// 2026-11-23 23:30 UTC: already 2026-11-24 in Singapore, still 2026-11-23 in New York.
const NOW = Date.parse('2026-11-23T23:30:00Z');

function facts(attributes: Record<string, string | number | boolean | null>, timezone = 'UTC', nowMs: number | null = NOW): Facts {
  return { account: accountSnapshotSchema.parse({ attributes, timezone }), steps: {}, milestones: {}, ...(nowMs === null ? {} : { nowMs }) };
}

const renewal = (op: Comparison['op'], value: number): Comparison => ({ field: 'account.renewal_date', op, value });

describe('date comparisons with today', () => {
  it.each<[string, Comparison, Record<string, string | null>, string, boolean]>([
    ['today is within the next 0 days', renewal('within_next', 0), { renewal_date: '2026-11-23' }, 'UTC', true],
    ['90 days ahead is within the next 90', renewal('within_next', 90), { renewal_date: '2027-02-21' }, 'UTC', true],
    ['91 days ahead is not within the next 90', renewal('within_next', 90), { renewal_date: '2027-02-22' }, 'UTC', false],
    ['yesterday is not within the next 90', renewal('within_next', 90), { renewal_date: '2026-11-22' }, 'UTC', false],
    ['yesterday is within the last 1', renewal('within_last', 1), { renewal_date: '2026-11-22' }, 'UTC', true],
    ['tomorrow is not within the last 30', renewal('within_last', 30), { renewal_date: '2026-11-24' }, 'UTC', false],
    ['366 days ago is more than 365 days ago', { field: 'account.contract_start_date', op: 'more_than_days_ago', value: 365 }, { contract_start_date: '2025-11-22' }, 'UTC', true],
    ['365 days ago is not more than 365 days ago', { field: 'account.contract_start_date', op: 'more_than_days_ago', value: 365 }, { contract_start_date: '2025-11-23' }, 'UTC', false],
    ['121 days ahead is more than 120 ahead', renewal('more_than_days_ahead', 120), { renewal_date: '2027-03-24' }, 'UTC', true],
    ['a date-time counts by its date', renewal('within_next', 0), { renewal_date: '2026-11-23T08:00:00Z' }, 'UTC', true],
    ['today is the account’s: tomorrow in UTC is today in Singapore', renewal('within_last', 0), { renewal_date: '2026-11-24' }, 'Asia/Singapore', true],
    ['and still tomorrow in New York', renewal('within_last', 0), { renewal_date: '2026-11-24' }, 'America/New_York', false],
    ['a missing date never matches', renewal('within_next', 3650), {}, 'UTC', false],
    ['a null date never matches', renewal('within_next', 3650), { renewal_date: null }, 'UTC', false],
    ['a malformed date never matches', renewal('within_next', 3650), { renewal_date: 'next spring' }, 'UTC', false],
    ['today is not more than 0 days ago', renewal('more_than_days_ago', 0), { renewal_date: '2026-11-23' }, 'UTC', false],
  ])('%s', (_, comparison, attributes, timezone, expected) => {
    expect(evaluateCondition(comparisonSchema.parse(comparison), facts(attributes, timezone))).toBe(expected);
  });

  it('does not hold without a clock (no `nowMs`)', () => {
    expect(evaluateCondition(renewal('within_next', 90), facts({ renewal_date: '2026-11-30' }, 'UTC', null))).toBe(false);
  });

  it('reads account dates kept apart from attributes', () => {
    const f: Facts = { account: accountSnapshotSchema.parse({ dates: { renewal_date: '2026-12-01' } }), steps: {}, milestones: {}, nowMs: NOW };
    expect(evaluateCondition(renewal('within_next', 30), f)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a negative number of days', -1],
    ['a fraction of a day', 1.5],
    ['more than ten years', 3651],
    ['a duration string', '90 days'],
  ])('refuses %s', (_, value) => {
    const result = comparisonSchema.safeParse({ field: 'account.renewal_date', op: 'within_next', value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['value'], message: '"within_next" takes a number of days, 0 to 3650' });
  });

  it('says it in words', () => {
    expect(describeCondition(renewal('within_next', 90))).toBe('account.renewal_date within the next 90 days');
    expect(describeCondition({ field: 'account.contract_start_date', op: 'more_than_days_ago', value: 1 })).toBe('account.contract_start_date more than 1 day ago');
  });
});

describe('explanations with the values read', () => {
  const f: Facts = { account: accountSnapshotSchema.parse({ attributes: { plan: 'growth', renewal_date: '2027-01-15' }, metrics: { seats_active: 12 }, roles: ['sponsor'] }), steps: {}, milestones: {}, nowMs: NOW };
  it.each<[string, Parameters<typeof explainCondition>[0], string]>([
    ['a number', { field: 'metric.seats_active', op: 'lt', value: 20 }, 'metric.seats_active 12 < 20'],
    ['a list', { field: 'account.plan', op: 'in', value: ['enterprise', 'strategic'] }, 'account.plan "growth" in ["enterprise","strategic"]'],
    ['a missing value', { field: 'account.arr', op: 'gte', value: 100_000 }, 'account.arr (not set) ≥ 100000'],
    ['a date', { field: 'account.renewal_date', op: 'within_next', value: 90 }, 'account.renewal_date "2027-01-15" within the next 90 days'],
    ['the people map', { any: [{ field: 'role.champion', op: 'exists' }, { not: { field: 'role.sponsor', op: 'not_exists' } }] }, '(role.champion is not set or not (role.sponsor is set))'],
  ])('%s', (_, condition, expected) => {
    expect(explainCondition(condition, f)).toBe(expected);
  });
});
