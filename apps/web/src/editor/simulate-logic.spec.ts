import type { Account } from '@cairn/contracts';
import { compilePlaybook, type ExecutablePlan, simulate, templates } from '@cairn/playbook';
import { dayLabel, drawSimulation, overlayOfSimulation, SAMPLE_ACCOUNT, sampleText, simulationInputOf, snapshotOfAccount } from './simulate-logic';

const planOf = (key: string): ExecutablePlan => {
  const result = compilePlaybook(templates[key]);
  if (!result.ok) throw new Error(key);
  return result.plan;
};
const T = '2026-03-01T10:00:00.000Z';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('simulate: the form to the simulator and back', () => {
  it('reads an API account as the engine does: segment key, active roles, health, *_date attributes as dates', () => {
    const account = {
      id: id(1),
      name: 'Acme',
      domain: null,
      externalIds: {},
      health: { status: 'yellow', score: 61 },
      segment: { id: id(2), key: 'high-touch', name: 'High touch' },
      assignedSegment: null,
      csm: null,
      stakeholders: [
        { id: id(3), accountId: id(1), name: 'Dana', email: 'd@a.test', role: 'champion', title: null, phone: null, status: 'active', isPrimary: true, leftAt: null, createdAt: T, updatedAt: T },
        { id: id(4), accountId: id(1), name: 'Uma', email: 'u@a.test', role: 'user', title: null, phone: null, status: 'active', isPrimary: false, leftAt: null, createdAt: T, updatedAt: T },
        { id: id(5), accountId: id(1), name: 'Old', email: 'o@a.test', role: 'sponsor', title: null, phone: null, status: 'left', isPrimary: false, leftAt: T, createdAt: T, updatedAt: T },
      ],
      timezone: 'Europe/Berlin',
      attributes: { arr: 186000, renewal_date: '2027-03-01' },
      metrics: { weekly_active_users: 12 },
    } as unknown as Account;
    expect(snapshotOfAccount(account)).toEqual({
      name: 'Acme',
      segment: 'high-touch',
      attributes: { arr: 186000, renewal_date: '2027-03-01', health: 'yellow', health_score: 61 },
      metrics: { weekly_active_users: 12 },
      roles: ['champion', 'users'],
      dates: { renewal_date: '2027-03-01' },
      timezone: 'Europe/Berlin',
    });
  });

  it.each<[string, string, Array<{ type: string; day: string; data: string; set: string }>, string[]]>([
    ['a date that is not one', JSON.stringify({ dates: { renewal_date: 'soon' } }), [], ['account.dates.renewal_date: ']],
    ['an unknown field', JSON.stringify({ segmnt: 'x' }), [], ['account: ']],
    ['text that is not JSON', '{ name: ', [], ['account: not JSON']],
    ['an event without a type', '{}', [{ type: '', day: '2', data: '', set: '' }], ['events.0.type: ']],
    ['an event on a negative day', '{}', [{ type: 'a.b', day: '-1', data: '', set: '' }], ['events.0.day: ']],
    ['changes that are not JSON', '{}', [{ type: 'a.b', day: '1', data: '', set: '{x' }], ['events.0.set: not JSON']],
  ])('names the field of %s', (_, account, events, problems) => {
    const result = simulationInputOf(account, events, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(result.problems[i].startsWith(p)).toBe(true));
  });

  it('builds the input from the sample, events, decisions and tasks (blank: never done)', () => {
    const result = simulationInputOf(sampleText(SAMPLE_ACCOUNT), [{ type: 'product.usage', day: '3', data: '{"source": "x"}', set: '{"metric.weekly_active_users": 15}' }], { a: { decision: 'rejected', afterDays: '1.5' } }, { t1: '2', t2: ' ' });
    expect(result.ok && result.input).toMatchObject({
      account: SAMPLE_ACCOUNT,
      events: [{ type: 'product.usage', day: 3, data: { source: 'x' }, set: { 'metric.weekly_active_users': 15 } }],
      decisions: { a: { decision: 'rejected', afterDays: 1.5 } },
      tasks: { t1: { doneAfterDays: 2 }, t2: { doneAfterDays: null } },
    });
  });

  it('draws the path like a run: passed steps done with their output, the rest skipped, taken edges marked', () => {
    const plan = planOf('low-usage-intervention');
    const result = simulate(plan, { account: { metrics: { weekly_active_users: 2 } }, events: [{ day: 3, type: 'product.usage', set: { 'metric.weekly_active_users': 15 } }] });
    const overlay = overlayOfSimulation(plan, result);
    expect(Object.entries(overlay.states).filter(([, s]) => s === 'done').map(([k]) => k).sort()).toEqual(['email', 'recovered', 'start', 'wait-1']);
    expect(overlay.outcomes['wait-1']).toBe('received');
    expect(overlay.states['approve-call']).toBe('skipped');
    const nodes = [{ id: 'wait-1' }, { id: 'recovered' }, { id: 'approve-call' }];
    const edges = [
      { id: 'a', source: 'wait-1', sourceHandle: 'received', target: 'recovered', className: 'edge-received' },
      { id: 'b', source: 'wait-1', sourceHandle: 'timed_out', target: 'approve-call' },
    ];
    const drawn = drawSimulation(nodes, edges, overlay);
    expect(drawn.nodes.map((n) => (n as { className?: string }).className)).toEqual(['sim-done', 'sim-done', 'sim-skipped']);
    expect(drawn.edges.map((e) => e.className)).toEqual(['edge-received is-taken', undefined]);
    // Derived once: the same objects again, so unchanged canvas nodes are not re-rendered.
    expect(drawSimulation(nodes, edges, overlay).nodes[0]).toBe(drawn.nodes[0]);
    expect(drawSimulation(nodes, edges, null).nodes[0]).toBe(nodes[0]);
  });

  it('an approval nobody decides expires at its SLA: the path goes by its expired output', () => {
    const plan = planOf('onboarding-kickoff');
    const result = simulate(plan, { decisions: { 'approve-kickoff': { decision: 'none' } } });
    expect(overlayOfSimulation(plan, result).states).toMatchObject({ 'approve-kickoff': 'done', skipped: 'done', 'kickoff-email': 'skipped' });
  });

  it.each([
    [3, 'day 3'],
    [3.5, 'day 3 +12h'],
    [0.9999, 'day 1'],
  ])('day %s reads %s', (day, text) => expect(dayLabel(day)).toBe(text));
});
