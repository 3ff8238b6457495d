import type { RunAction, RunMilestone, SentEmail, Stakeholder, StoredEvent } from '@cairn/contracts';
import { formatMoney, mergeTimeline, milestoneRows, milestoneState, peopleMap, worstState } from './account-logic';

describe('milestone states', () => {
  it.each([
    ['reached_on_time', 'on_track'],
    ['reached_late', 'behind'],
    ['missed', 'stuck'],
  ] as const)('%s → %s', (status, state) => expect(milestoneState(status)).toBe(state));

  it.each([
    [[], null],
    [['on_track'], 'on_track'],
    [['on_track', 'behind'], 'behind'],
    [['behind', 'stuck', 'on_track'], 'stuck'],
  ] as const)('the worst of %j is %s', (states, worst) => expect(worstState(states.map((state) => ({ state })))).toBe(worst));

  it('lists each run’s milestones in the order they were recorded', () => {
    const m = (name: string, status: RunMilestone['status'], recordedAt: string) => ({ id: name, nodeId: name, visit: 0, name, targetDay: 7, status, day: 9, reason: `${name} because`, recordedAt }) as RunMilestone;
    const rows = milestoneRows([{ id: 'r1', playbookName: 'Onboarding', milestones: [m('First value', 'missed', '2026-02-01T00:00:00Z'), m('Kickoff', 'reached_late', '2026-01-10T00:00:00Z')] }]);
    expect(rows.map((r) => [r.name, r.state, r.runId])).toEqual([
      ['Kickoff', 'behind', 'r1'],
      ['First value', 'stuck', 'r1'],
    ]);
  });
});

describe('peopleMap', () => {
  const person = (name: string, role: Stakeholder['role'], extra: Partial<Stakeholder> = {}) => ({ id: name, name, role, status: 'active', isPrimary: false, email: `${name}@x.test`, title: null, ...extra }) as Stakeholder;
  it.each([
    ['champion and sponsor present: no gap', [person('Ann', 'champion'), person('Ben', 'sponsor')], []],
    ['no sponsor', [person('Ann', 'champion'), person('Cid', 'admin')], ['sponsor']],
    ['a champion who left counts as none', [person('Ann', 'champion', { status: 'left' }), person('Ben', 'sponsor')], ['champion']],
    ['nobody', [], ['champion', 'sponsor']],
  ])('%s', (_, people, gaps) => expect(peopleMap(people).gaps.map((g) => g.role)).toEqual(gaps));

  it('groups by role in reading order, the primary first, then by name', () => {
    const { groups } = peopleMap([person('Zed', 'user'), person('Bo', 'champion'), person('Al', 'champion'), person('Cy', 'champion', { isPrimary: true })]);
    expect(groups.map((g) => [g.role, g.people.map((p) => p.name)])).toEqual([
      ['champion', ['Cy', 'Al', 'Bo']],
      ['user', ['Zed']],
    ]);
  });
});

describe('mergeTimeline', () => {
  const event = (id: string, occurredAt: string) => ({ id, accountId: 'a', type: 'product.login', data: { user: 'dana' }, source: 'api', idempotencyKey: null, occurredAt, receivedAt: occurredAt }) as StoredEvent;
  const email = (id: string, sentAt: string | null) => ({ id, runId: 'r1', sentAt, toAddress: 'dana@acme.test', subject: 'Hi', reason: 'Kickoff approved by Casey' }) as SentEmail;
  const action = (id: string, createdAt: string) => ({ id, runId: 'r1', kind: 'call', target: 'champion', status: 'done', createdAt, completedAt: null, reason: 'Call the champion' }) as RunAction & { runId: string };

  it('merges newest first, leaving unsent emails out', () => {
    const entries = mergeTimeline({ events: [event('e1', '2026-03-01T00:00:00Z')], moreEvents: false, emails: [email('m1', '2026-03-02T00:00:00Z'), email('m2', null)], actions: [action('a1', '2026-02-01T00:00:00Z')] });
    expect(entries.map((e) => [e.kind, e.id])).toEqual([
      ['email', 'email-m1'],
      ['event', 'event-e1'],
      ['action', 'action-a1'],
    ]);
    expect(entries[1]?.detail).toBe('user: dana');
  });

  it('holds back touches older than the oldest event loaded while older event pages remain', () => {
    const input = { events: [event('e1', '2026-03-01T00:00:00Z')], emails: [email('m1', '2026-02-01T00:00:00Z')], actions: [] };
    expect(mergeTimeline({ ...input, moreEvents: true }).map((e) => e.id)).toEqual(['event-e1']);
    expect(mergeTimeline({ ...input, moreEvents: false }).map((e) => e.id)).toEqual(['event-e1', 'email-m1']);
  });
});

describe('formatMoney', () => {
  it.each([
    [186000, '$186,000'],
    [null, '—'],
    ['n/a', 'n/a'],
  ])('%j → %s', (value, text) => expect(formatMoney(value)).toBe(text));
});
