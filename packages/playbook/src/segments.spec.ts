import type { Condition } from './conditions';
import { explainRule, membershipChanges, membershipOf, ruleMatches, type SegmentDefinition, segmentRuleSchema } from './segments';
import { accountSnapshotSchema } from './semantics/facts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const account = (attributes: Record<string, string | number | boolean | null>, extra: { metrics?: Record<string, number>; roles?: string[] } = {}) =>
  accountSnapshotSchema.parse({ attributes, metrics: extra.metrics ?? {}, roles: extra.roles ?? [] });

const enterprise: Condition = { all: [{ field: 'account.arr', op: 'gte', value: 100_000 }, { field: 'account.plan', op: 'in', value: ['enterprise', 'strategic'] }] };
const renewingSoon: Condition = { field: 'account.renewal_date', op: 'within_next', value: 90 };
const atRisk: Condition = { any: [{ field: 'metric.weekly_active_users', op: 'lt', value: 10 }, { not: { field: 'role.champion', op: 'exists' } }] };

const segments: SegmentDefinition[] = [
  { id: 'ent', key: 'enterprise', priority: 10, rule: enterprise },
  { id: 'soon', key: 'renewing-soon', priority: 50, rule: renewingSoon },
  { id: 'risk', key: 'at-risk', priority: 20, rule: atRisk },
  { id: 'tech', key: 'tech-touch', priority: 100, rule: null },
  { id: 'smb', key: 'smb', priority: 90, rule: null },
];

describe('segment rules', () => {
  it.each<[string, Condition, ReturnType<typeof account>, boolean]>([
    ['and: both hold', enterprise, account({ arr: 250_000, plan: 'enterprise' }), true],
    ['and: one fails', enterprise, account({ arr: 250_000, plan: 'growth' }), false],
    ['missing attribute never matches', enterprise, account({ plan: 'enterprise' }), false],
    ['date relative to today', renewingSoon, account({ renewal_date: '2027-01-15' }), true],
    ['date too far', renewingSoon, account({ renewal_date: '2027-06-01' }), false],
    ['or with not over the people map: no champion', atRisk, account({}, { metrics: { weekly_active_users: 50 } }), true],
    ['or: low usage', atRisk, account({}, { metrics: { weekly_active_users: 5 }, roles: ['champion'] }), true],
    ['neither', atRisk, account({}, { metrics: { weekly_active_users: 50 }, roles: ['champion'] }), false],
  ])('%s', (_, rule, snapshot, expected) => {
    expect(ruleMatches(rule, snapshot, NOW)).toBe(expected);
  });

  it.each<[string, unknown, string]>([
    ['a step outcome', { field: 'step.approve.outcome', op: 'eq', value: 'approved' }, 'field'],
    ['an event field, nested', { all: [{ field: 'account.arr', op: 'gt', value: 1 }, { not: { field: 'event.plan', op: 'exists' } }] }, 'all.1.not.field'],
    ['the segment itself', { any: [{ field: 'segment', op: 'eq', value: 'x' }] }, 'any.0.field'],
  ])('refuses a rule that reads %s, naming where', (_, rule, path) => {
    const result = segmentRuleSchema.safeParse(rule);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });

  it('explains each comparison for a preview', () => {
    expect(explainRule(enterprise, account({ arr: 250_000, plan: 'growth' }), NOW)).toEqual([
      { condition: 'account.arr 250000 ≥ 100000', holds: true },
      { condition: 'account.plan "growth" in ["enterprise","strategic"]', holds: false },
    ]);
  });
});

describe('membership', () => {
  it('is every matching rule segment and the assigned manual one; the lowest priority is the account’s segment', () => {
    const m = membershipOf(segments, account({ arr: 300_000, plan: 'enterprise', renewal_date: '2027-01-01' }, { roles: ['champion'], metrics: { weekly_active_users: 80 } }), 'tech', NOW);
    expect(m).toEqual({ members: ['ent', 'soon', 'tech'], primary: 'ent' });
  });

  it('falls back to the assigned segment when no rule matches', () => {
    expect(membershipOf(segments, account({ arr: 5_000 }, { roles: ['champion'], metrics: { weekly_active_users: 80 } }), 'smb', NOW)).toEqual({ members: ['smb'], primary: 'smb' });
  });

  it('lists what was entered and exited', () => {
    expect(membershipChanges(['ent', 'tech'], ['tech', 'soon'])).toEqual({ entered: ['soon'], exited: ['ent'] });
    expect(membershipChanges(['tech'], ['tech'])).toEqual({ entered: [], exited: [] });
  });
});
