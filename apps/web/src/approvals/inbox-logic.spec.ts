import type { InboxItem, ManagedUser } from '@cairn/contracts';
import { dueIn, editedTouch, move, reassignCandidates, snoozeUntil } from './inbox-logic';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('dueIn', () => {
  it.each([
    [null, 'no due date'],
    [at(30 * 60_000), 'due in 30 min'],
    [at(5 * HOUR), 'due in 5 h'],
    [at(72 * HOUR), 'due in 3 days'],
    [at(-2 * HOUR), '2 h overdue'],
    [at(-96 * HOUR), '4 days overdue'],
    [at(0), 'due in 1 min'],
  ])('%s → %s', (dueAt, words) => expect(dueIn(dueAt, NOW)).toBe(words));
});

describe('editedTouch', () => {
  const proposed = { subject: 'Welcome', body: 'Hello Dana' };
  it.each([
    ['nothing changed', { subject: 'Welcome', body: 'Hello Dana' }, undefined],
    ['only spaces around', { subject: ' Welcome ', body: 'Hello Dana\n' }, undefined],
    ['the subject', { subject: 'Welcome, Dana', body: 'Hello Dana' }, { subject: 'Welcome, Dana' }],
    ['the body', { subject: 'Welcome', body: 'Hi Dana' }, { body: 'Hi Dana' }],
    ['both', { subject: 'A', body: 'B' }, { subject: 'A', body: 'B' }],
    ['a field emptied (the API refuses blanks: the proposal stays)', { subject: '', body: 'Hi' }, { body: 'Hi' }],
  ])('%s', (_, draft, expected) => expect(editedTouch(proposed, draft)).toEqual(expected));
  it('is nothing when the step proposes no touch', () => expect(editedTouch(null, { subject: 'x', body: 'y' })).toBeUndefined());
});

describe('snoozeUntil', () => {
  it.each([
    [{ days: 1 as const }, at(24 * HOUR), null],
    [{ days: 3 as const }, at(72 * HOUR), null],
  ])('%j ends at %s', (choice, until, problem) => expect(snoozeUntil(choice, NOW)).toEqual({ until, problem }));
  it('ends at 9:00 local time on a chosen date', () => {
    const { until, problem } = snoozeUntil({ date: '2026-11-25' }, NOW);
    expect(problem).toBeNull();
    const d = new Date(until);
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 11, 25, 9, 0]);
  });
  it.each([
    ['2026-11-01', 'Snooze until a time in the future'],
    ['2027-01-30', 'Snooze for at most 30 days'],
    ['', 'Pick a date'],
  ])('refuses %j: %s', (date, problem) => expect(snoozeUntil({ date }, NOW).problem).toBe(problem));
});

describe('reassignCandidates', () => {
  const user = (id: string, name: string, role: ManagedUser['role'], active = true) => ({ id, name, role, active, email: `${id}@x.test`, managerId: null, canSignIn: true, lastLoginAt: null, createdAt: at(0) }) as ManagedUser;
  const item = (assigneeId: string | null, assigneeName: string | null) => ({ assigneeId, assigneeName }) as InboxItem;
  it.each([
    [
      'admins: every active user who may decide, but the assignee',
      { users: [user('a', 'Ann', 'csm'), user('b', 'Ben', 'viewer'), user('c', 'Cid', 'ops', false), user('d', 'Dee', 'cs_manager'), user('e', 'Eve', 'admin')], csms: [], items: [], currentAssigneeId: 'a' },
      ['Dee', 'Eve'],
    ],
    [
      'others: the CSMs they can see and the assignees in the inbox, once each, by name',
      { users: null, csms: [{ id: 'z', name: 'Zoe', role: 'csm', email: 'z@x.test' }, null, { id: 'a', name: 'Ann', role: 'csm', email: 'a@x.test' }], items: [item('a', 'Ann'), item('m', 'Max'), item(null, null)], currentAssigneeId: null },
      ['Ann', 'Max', 'Zoe'],
    ],
  ] as const)('%s', (_, input, names) => expect(reassignCandidates(input as unknown as Parameters<typeof reassignCandidates>[0]).map((c) => c.name)).toEqual(names));
});

describe('move', () => {
  it.each([
    [[], null, 1, null],
    [['a', 'b', 'c'], null, 1, 'a'],
    [['a', 'b', 'c'], 'a', 1, 'b'],
    [['a', 'b', 'c'], 'c', 1, 'c'],
    [['a', 'b', 'c'], 'a', -1, 'a'],
    [['a', 'b', 'c'], 'gone', -1, 'a'],
  ] as const)('%j from %s by %d → %s', (ids, selected, step, expected) => expect(move([...ids], selected, step)).toBe(expected));
});
