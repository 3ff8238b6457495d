import { addBusinessDays, afterQuietHours } from './calendar';
import { DAY_MS, waitSpan } from './steps';

const at = (iso: string) => Date.parse(iso);

describe('calendar semantics', () => {
  it.each([
    ['a Monday + 3', '2026-01-05T09:00:00Z', 3, '2026-01-08T09:00:00.000Z'],
    ['a Thursday + 3 (over the weekend)', '2026-01-08T09:00:00Z', 3, '2026-01-13T09:00:00.000Z'],
    ['a Friday + 1', '2026-01-09T09:00:00Z', 1, '2026-01-12T09:00:00.000Z'],
    ['a Saturday + 1', '2026-01-10T09:00:00Z', 1, '2026-01-12T09:00:00.000Z'],
  ])('counts business days from %s', (_name, from, days, expected) => {
    expect(new Date(addBusinessDays(at(from), days, 'UTC')).toISOString()).toBe(expected);
  });

  it('uses the account’s timezone for weekdays', () => {
    // Friday 23:00 in New York is already Saturday in UTC.
    expect(new Date(addBusinessDays(at('2026-01-10T04:00:00Z'), 1, 'America/New_York')).toISOString()).toBe('2026-01-13T04:00:00.000Z');
  });

  it.each([
    ['inside an overnight window', '2026-01-05T21:30:00Z', '2026-01-06T08:00:00.000Z'],
    ['after midnight inside it', '2026-01-06T02:15:00Z', '2026-01-06T08:00:00.000Z'],
    ['outside it', '2026-01-05T12:00:00Z', '2026-01-05T12:00:00.000Z'],
  ])('moves a time %s past quiet hours 18:00–08:00', (_name, time, expected) => {
    expect(new Date(afterQuietHours(at(time), { start: '18:00', end: '08:00' }, 'UTC')).toISOString()).toBe(expected);
  });

  it('applies both to a wait, and says so', () => {
    const span = waitSpan(
      { mode: 'duration', duration: '2 days', businessDays: true, quietHours: { start: '18:00', end: '08:00' } },
      { enrolledAtMs: at('2026-01-08T20:00:00Z'), nowMs: at('2026-01-08T20:00:00Z'), timeZone: 'UTC' },
    );
    // Thursday 20:00 + 2 business days = Monday 20:00, inside quiet hours → Tuesday 08:00.
    expect(span.ms).toBe(at('2026-01-13T08:00:00Z') - at('2026-01-08T20:00:00Z'));
    expect(span.what).toBe('2 business days, then past quiet hours (18:00–08:00 UTC)');
    expect((span.ms as number) / DAY_MS).toBe(4.5);
  });
});
