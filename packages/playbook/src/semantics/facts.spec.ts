import { accountSnapshotOf, readField } from './facts';

describe('accountSnapshotOf: what conditions read about a stored account', () => {
  const stored = {
    name: 'Initech',
    segment: 'mid-touch',
    timezone: 'America/Chicago',
    attributes: { plan: 'growth', renewal_date: '2027-01-20', start_date: 'soon', trial_end_date: '2026-12-01T00:00:00Z' },
    metrics: { seats_active: 14, nps: Number.NaN, note: 'x' },
    roles: ['champion', 'user', 'user'],
    healthStatus: 'red',
    healthScore: 38,
  };
  const facts = { account: accountSnapshotOf(stored), steps: {}, milestones: {} };

  it.each<[string, unknown]>([
    ['account.name', 'Initech'],
    ['account.plan', 'growth'],
    // Health has columns of its own, read like any attribute.
    ['account.health', 'red'],
    ['account.health_score', 38],
    ['metric.seats_active', 14],
    ['metric.nps', undefined],
    ['metric.note', undefined],
    ['role.users', true],
    ['role.sponsor', undefined],
    ['segment', 'mid-touch'],
  ])('%s reads %p', (field, value) => {
    expect(readField(facts, field)).toEqual(value);
  });

  it('keeps as dates only *_date attributes that start with an ISO date', () => {
    expect(facts.account.dates).toEqual({ renewal_date: '2027-01-20', trial_end_date: '2026-12-01T00:00:00Z' });
  });

  it('leaves health out when the account has none', () => {
    const none = accountSnapshotOf({ ...stored, healthStatus: null, healthScore: null });
    expect(Object.keys(none.attributes)).not.toContain('health_score');
    expect(Object.keys(none.attributes)).not.toContain('health');
  });
});
