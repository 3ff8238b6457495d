import { accountSnapshotSchema } from './semantics/facts';
import { objectiveStatus } from './success-plans';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const account = accountSnapshotSchema.parse({ metrics: { weekly_active_users: 212 }, attributes: { sso: false }, timezone: 'Europe/Berlin' });
const adoption = { field: 'metric.weekly_active_users', op: 'gte' as const, value: 200 };
const sso = { field: 'account.sso', op: 'eq' as const, value: true };

describe('objective status', () => {
  it.each<[string, Parameters<typeof objectiveStatus>[0], 'green' | 'red', string]>([
    ['a measure that holds', { measure: adoption, targetDate: '2027-01-31', override: null }, 'green', 'Met: metric.weekly_active_users 212 ≥ 200'],
    ['a measure short of it, with days left', { measure: sso, targetDate: '2026-12-01', override: null }, 'red', 'Not met yet: account.sso false = true; 8 days to the target date 2026-12-01'],
    ['a target date passed', { measure: sso, targetDate: '2026-11-20', override: null }, 'red', 'Not met yet: account.sso false = true; target date 2026-11-20 passed 3 days ago'],
    ['no target date', { measure: sso, targetDate: null, override: null }, 'red', 'Not met yet: account.sso false = true'],
    ['nothing to measure', { measure: null, targetDate: null, override: null }, 'red', 'No measure: mark it green when the customer agrees it is met'],
    ['a person’s call wins', { measure: sso, targetDate: null, override: { status: 'green', note: 'SSO live on their side, flag pending', by: 'Casey Morgan' } }, 'green', 'Marked green by Casey Morgan: SSO live on their side, flag pending'],
  ])('%s', (_, objective, status, reason) => {
    expect(objectiveStatus(objective, account, NOW)).toEqual({ status, reason });
  });
});
