import { compilePlaybook } from './compile';
import type { PlaybookDocumentInput } from './document';
import type { ExecutablePlan } from './plan';
import { segmentDecides, segmentPaths, segmentTimeline } from './segment-timeline';
import { templates } from './templates';

const planOf = (doc: PlaybookDocumentInput): ExecutablePlan => {
  const result = compilePlaybook(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.plan;
};

const windows = (t: ReturnType<typeof segmentTimeline>) => Object.fromEntries(t.steps.map((s) => [s.stepId, [s.earliestDay, s.latestDay]]));

describe('segmentTimeline over the templates', () => {
  // template → the segment paths it serves, and for each the touches' channels that differ by segment.
  const cases: Array<[string, Array<string | null>, Record<string, Record<string, string>>]> = [
    ['onboarding-kickoff', [], {}],
    ['onboarding-30-60-90', ['high-touch', null], { 'high-touch': { kickoff: 'meeting' }, other: { kickoff: 'email' } }],
    ['low-usage-intervention', [], {}],
    ['champion-left', [], {}],
    ['renewal-120', [], {}],
    ['qbr-cadence', ['high-touch'], {}],
    ['advocacy-expansion', [], {}],
  ];

  it.each(cases)('%s: serves %j; every path of a playbook without segment branches has the plan’s timeline', (key, segments, channels) => {
    const plan = planOf(templates[key]);
    expect(segmentPaths(plan).map((p) => p.segment)).toEqual(segments);
    const all = segmentTimeline(plan);
    expect(Object.fromEntries(all.steps.map((s) => [s.stepId, { earliestDay: s.earliestDay, latestDay: s.latestDay }]))).toEqual(plan.timeline);
    expect(all.milestones).toEqual(plan.milestones);
    for (const segment of segments) {
      const path = segmentTimeline(plan, segment);
      expect(windows(path)).toEqual(windows(all));
      expect(path.decided).toEqual({});
      for (const [stepId, channel] of Object.entries(channels[segment ?? 'other'] ?? {})) expect(path.steps.find((s) => s.stepId === stepId)?.touch?.channel).toBe(channel);
    }
  });

  it('says who leaves a latest day open: a person or an event on a task, the approver on an approval without deadline', () => {
    const plan = planOf(templates['onboarding-30-60-90']);
    const open = Object.fromEntries(segmentTimeline(plan).steps.filter((s) => s.openEnd).map((s) => [s.stepId, s.openEnd]));
    expect(open.together).toEqual({ stepId: expect.stringMatching(/^(sso|integrations)$/), by: expect.stringMatching(/^(event|person|condition)$/) });
    expect(open['sso-late']).toBeUndefined();
    // An approval with neither SLA nor a final escalation step: the CSM decides when.
    const doc = JSON.parse(JSON.stringify(templates['onboarding-kickoff'])) as { nodes: Array<{ id: string; data: Record<string, unknown> }>; edges: Array<{ id: string }> };
    delete doc.nodes.find((n) => n.id === 'approve-kickoff')?.data.sla;
    doc.edges = doc.edges.filter((e) => e.id !== 'e5');
    const steps = Object.fromEntries(segmentTimeline(planOf(doc as PlaybookDocumentInput)).steps.map((s) => [s.stepId, s]));
    expect(steps['approve-kickoff']).toEqual({ stepId: 'approve-kickoff', earliestDay: 3, latestDay: 3 });
    expect(steps['kickoff-email']).toMatchObject({ earliestDay: 3, latestDay: null, openEnd: { stepId: 'approve-kickoff', by: 'person' } });
    expect(steps.done.openEnd).toEqual({ stepId: 'approve-kickoff', by: 'person' });
  });
});

describe('segmentTimeline with a branch on the segment', () => {
  const doc: PlaybookDocumentInput = {
    schemaVersion: 2,
    key: 'by-segment',
    name: 'By segment',
    kind: 'onboarding',
    audience: { segments: ['high-touch', 'tech-touch'] },
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      {
        id: 'which',
        type: 'branch',
        position: { x: 0, y: 0 },
        data: {
          cases: [
            { id: 'high', label: 'High touch and big', when: { all: [{ field: 'segment', op: 'eq', value: 'high-touch' }, { field: 'account.arr', op: 'gte', value: 100000 }] } },
            { id: 'mid', label: 'Mid or high', when: { field: 'segment', op: 'in', value: ['mid-touch', 'high-touch'] } },
          ],
        },
      },
      { id: 'call', type: 'touch', position: { x: 0, y: 0 }, data: { channel: 'call', to: 'champion', body: 'Call' } },
      { id: 'wait-10', type: 'wait', position: { x: 0, y: 0 }, data: { mode: 'duration', duration: '10 days' } },
      { id: 'meeting', type: 'touch', position: { x: 0, y: 0 }, data: { channel: 'meeting', to: 'champion', subject: 'Hi', body: 'Meet' } },
      { id: 'wait-30', type: 'wait', position: { x: 0, y: 0 }, data: { mode: 'until_day', day: 30 } },
      { id: 'email', type: 'touch', position: { x: 0, y: 0 }, data: { channel: 'email', to: 'champion', subject: 'Hi', body: 'Mail' } },
      { id: 'm', type: 'milestone', position: { x: 0, y: 0 }, data: { name: 'Live', targetDay: 20 } },
      { id: 'end', type: 'end', position: { x: 0, y: 0 }, data: { outcome: 'completed' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'which' },
      { id: 'e2', source: 'which', sourceHandle: 'high', target: 'call' },
      { id: 'e3', source: 'call', target: 'wait-10' },
      { id: 'e4', source: 'wait-10', target: 'm' },
      { id: 'e5', source: 'which', sourceHandle: 'mid', target: 'meeting' },
      { id: 'e6', source: 'meeting', target: 'm' },
      { id: 'e7', source: 'which', sourceHandle: 'otherwise', target: 'wait-30' },
      { id: 'e8', source: 'wait-30', target: 'email' },
      { id: 'e9', source: 'email', target: 'm' },
      { id: 'e10', source: 'm', target: 'end' },
    ],
  };
  const plan = planOf(doc);

  it('lists the audience, then the segments the branch names', () => {
    expect(segmentPaths(plan)).toEqual([
      { segment: 'high-touch', from: ['audience', 'branch'] },
      { segment: 'tech-touch', from: ['audience'] },
      { segment: 'mid-touch', from: ['branch'] },
    ]);
  });

  // segment → reachable steps with [earliest, latest], the branch's possible outputs, the milestone's window
  const table: Array<[string | undefined, Record<string, [number, number | null]>, string[] | undefined, [number, number | null]]> = [
    [undefined, { start: [0, 0], which: [0, 0], call: [0, 0], meeting: [0, 0], 'wait-30': [0, 0], 'wait-10': [0, 0], email: [30, 30], m: [0, 30], end: [0, 30] }, undefined, [0, 30]],
    // the ARR part stays open: high-touch accounts go by the call (big) or the meeting (otherwise), never by email
    ['high-touch', { start: [0, 0], which: [0, 0], call: [0, 0], meeting: [0, 0], 'wait-10': [0, 0], m: [0, 10], end: [0, 10] }, ['high', 'mid'], [0, 10]],
    ['mid-touch', { start: [0, 0], which: [0, 0], meeting: [0, 0], m: [0, 0], end: [0, 0] }, ['mid'], [0, 0]],
    ['tech-touch', { start: [0, 0], which: [0, 0], 'wait-30': [0, 0], email: [30, 30], m: [30, 30], end: [30, 30] }, ['otherwise'], [30, 30]],
  ];

  it.each(table)('segment %s: the steps it reaches, the branch outputs it can take, the milestone window', (segment, steps, branch, milestone) => {
    const path = segmentTimeline(plan, segment);
    expect(windows(path)).toEqual(steps);
    expect(path.decided.which).toEqual(branch);
    expect(path.milestones.map((m) => [m.earliestDay, m.latestDay])).toEqual([milestone]);
  });

  it('decides comparisons of the segment in three-valued logic', () => {
    const seg = (value: string) => ({ field: 'segment', op: 'eq' as const, value });
    const arr = { field: 'account.arr', op: 'gt' as const, value: 1 };
    expect(segmentDecides(seg('a'), 'a')).toBe(true);
    expect(segmentDecides(seg('a'), 'b')).toBe(false);
    expect(segmentDecides(arr, 'a')).toBeNull();
    expect(segmentDecides({ all: [seg('a'), arr] }, 'b')).toBe(false);
    expect(segmentDecides({ all: [seg('a'), arr] }, 'a')).toBeNull();
    expect(segmentDecides({ any: [seg('a'), arr] }, 'a')).toBe(true);
    expect(segmentDecides({ any: [seg('a'), arr] }, 'b')).toBeNull();
    expect(segmentDecides({ not: seg('a') }, 'b')).toBe(true);
    expect(segmentDecides({ field: 'segment', op: 'not_in', value: ['a', 'b'] }, 'c')).toBe(true);
  });
});
