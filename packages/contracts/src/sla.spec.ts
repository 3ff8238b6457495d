import { DUE_SOON_MS, MAX_SNOOZE_MS, slaStateOf, snoozeProblem, type SlaState } from './sla';

const NOW = Date.parse('2026-03-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;

describe('slaStateOf', () => {
  const cases: Array<[name: string, open: boolean, dueAtMs: number | null, level: number, expected: SlaState | null]> = [
    ['closed: no state', false, NOW - HOUR, 0, null],
    ['closed and escalated: no state', false, NOW - HOUR, 2, null],
    ['no due date', true, null, 0, 'on_time'],
    ['due in three days', true, NOW + 72 * HOUR, 0, 'on_time'],
    ['due just outside the window', true, NOW + DUE_SOON_MS + 1, 0, 'on_time'],
    ['due exactly at the window’s edge', true, NOW + DUE_SOON_MS, 0, 'due_soon'],
    ['due in an hour', true, NOW + HOUR, 0, 'due_soon'],
    ['due now', true, NOW, 0, 'overdue'],
    ['due an hour ago', true, NOW - HOUR, 0, 'overdue'],
    ['escalated, due later', true, NOW + 72 * HOUR, 1, 'escalated'],
    ['escalated and overdue: escalated wins', true, NOW - HOUR, 1, 'escalated'],
    ['escalated without a due date', true, null, 2, 'escalated'],
  ];
  it.each(cases)('%s', (_name, open, dueAtMs, escalationLevel, expected) => {
    expect(slaStateOf({ open, dueAtMs, escalationLevel, nowMs: NOW })).toBe(expected);
  });

  it('takes another due-soon window', () => {
    expect(slaStateOf({ open: true, dueAtMs: NOW + 2 * HOUR, escalationLevel: 0, nowMs: NOW, dueSoonMs: HOUR })).toBe('on_time');
    expect(slaStateOf({ open: true, dueAtMs: NOW + HOUR, escalationLevel: 0, nowMs: NOW, dueSoonMs: HOUR })).toBe('due_soon');
  });
});

describe('snoozeProblem', () => {
  const cases: Array<[name: string, untilMs: number, problem: RegExp | null]> = [
    ['an hour from now', NOW + HOUR, null],
    ['exactly 30 days', NOW + MAX_SNOOZE_MS, null],
    ['30 days and a second', NOW + MAX_SNOOZE_MS + 1000, /at most 30 days/],
    ['now', NOW, /future/],
    ['in the past', NOW - HOUR, /future/],
  ];
  it.each(cases)('%s', (_name, untilMs, problem) => {
    const found = snoozeProblem(untilMs, NOW);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
