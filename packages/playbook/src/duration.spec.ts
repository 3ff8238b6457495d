import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['3 days', 3 * 86_400_000],
    ['1 day', 86_400_000],
    ['2 weeks', 14 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['90 minutes', 90 * 60_000],
    ['2 seconds', 2_000],
    ['P3D', 3 * 86_400_000],
    ['PT12H', 12 * 3_600_000],
    ['P1DT2H', 26 * 3_600_000],
    ['P2W', 14 * 86_400_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['soon', '', 'P', 'PT', '3 months', 'P1M', '-3 days', 'days'])('rejects %p', (text) => expect(parseDuration(text)).toBeNull());
});
