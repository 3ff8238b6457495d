import { accountDateDue, accountDateFireDay, accountDateOffsetText } from './triggers';

const renewal120 = { field: 'renewal_date', offsetDays: -120 };

describe('account-date triggers', () => {
  it('names the date and offset as runs quote it', () => {
    expect(accountDateOffsetText('renewal_date', -120)).toBe('renewal_date − 120 days');
    expect(accountDateOffsetText('contract_start_date', 1)).toBe('contract_start_date + 1 day');
    expect(accountDateOffsetText('renewal_date', 0)).toBe('renewal_date');
  });

  it('finds the day it fires, or none without the date', () => {
    expect(accountDateFireDay(renewal120, { renewal_date: '2027-03-31' })).toBe('2026-12-01');
    expect(accountDateFireDay(renewal120, { renewal_date: '2027-03-31T00:00:00Z' })).toBe('2026-12-01');
    expect(accountDateFireDay(renewal120, {})).toBeNull();
    expect(accountDateFireDay(renewal120, { renewal_date: 'soon' })).toBeNull();
  });

  it.each<[string, string, Record<string, unknown>, boolean, string]>([
    ['on its day', '2026-12-01', { renewal_date: '2027-03-31' }, true, 'renewal_date − 120 days = 2026-12-01'],
    ['a day early', '2026-11-30', { renewal_date: '2027-03-31' }, false, 'renewal_date − 120 days = 2026-12-01, in 1 day'],
    ['catching up a missed sweep', '2026-12-04', { renewal_date: '2027-03-31' }, true, 'renewal_date − 120 days = 2026-12-01 (3 days ago)'],
    ['a date set late, within the window', '2026-12-31', { renewal_date: '2027-03-31' }, true, 'renewal_date − 120 days = 2026-12-01 (30 days ago)'],
    ['too late', '2027-01-01', { renewal_date: '2027-03-31' }, false, 'renewal_date − 120 days = 2026-12-01, 31 days ago (more than 30)'],
    ['no date', '2026-12-01', {}, false, 'The account has no renewal_date'],
  ])('%s', (_, today, dates, due, reason) => {
    expect(accountDateDue(renewal120, dates, today)).toMatchObject({ due, reason });
  });
});
