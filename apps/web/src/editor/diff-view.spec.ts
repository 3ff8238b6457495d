import type { PlaybookDiffResponse } from '@cairn/contracts';
import { describeChange, diffFlow, diffHighlights, diffSummary, edgeKey, formatValue } from './diff-view';

const node = (id: string, type = 'wait') => ({ id, type, position: { x: 0, y: 0 }, data: {} });
const edge = (id: string, source: string, target: string, sourceHandle?: string) => ({ id, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

const diff: PlaybookDiffResponse = {
  from: 1,
  to: 'draft',
  nodes: {
    added: [node('wait-1')],
    removed: [node('old-email', 'touch')],
    changed: [
      { id: 'wait-3d', type: 'wait', changes: [{ path: 'data.duration', before: '3 days', after: '2 days' }], moved: true },
      { id: 'start', type: 'trigger', changes: [], moved: true },
    ],
  },
  edges: { added: [edge('e9', 'wait-3d', 'wait-1')], removed: [edge('e2', 'approve', 'old-email', 'approved')] },
  document: [{ path: 'name', before: 'Kickoff', after: 'Kickoff (fast)' }],
  sameBehaviour: false,
};

describe('the diff on the canvas', () => {
  it('marks each step added, changed (with what changed, in words) or only moved, and keeps removed ones as ghosts', () => {
    const h = diffHighlights(diff);
    expect(h.nodes).toEqual({
      'wait-1': { mark: 'added', changes: [] },
      'wait-3d': { mark: 'changed', changes: ['duration: "3 days" → "2 days"'] },
      start: { mark: 'moved', changes: [] },
    });
    expect([...h.addedEdges]).toEqual(['wait-3d|next|wait-1']);
    expect(h.ghosts.map((n) => n.id)).toEqual(['old-email']);
    expect(h.ghostEdges.map((e) => e.id)).toEqual(['e2']);
    expect(h.document).toEqual(['name: "Kickoff" → "Kickoff (fast)"']);
  });

  it('matches connections by where they lead, not their id', () => {
    expect(edgeKey({ source: 'a', target: 'b' })).toBe(edgeKey({ source: 'a', sourceHandle: 'next', target: 'b' }));
    expect(edgeKey({ source: 'a', sourceHandle: 'approved', target: 'b' })).not.toBe(edgeKey({ source: 'a', target: 'b' }));
  });

  it.each<[unknown, string]>([
    [undefined, '(none)'],
    [null, '(none)'],
    ['3 days', '"3 days"'],
    [3, '3'],
    [{ field: 'account.arr', op: 'gte', value: 50000 }, '{"field":"account.arr","op":"gte","value":50000}'],
    ['x'.repeat(100), `"${'x'.repeat(58)}…`],
  ])('writes %j as %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  it('keeps paths outside the data whole', () => {
    expect(describeChange({ path: 'type', before: 'wait', after: 'wait_for' })).toBe('type: "wait" → "wait_for"');
  });

  it.each<[string, PlaybookDiffResponse, string]>([
    ['everything', diff, 'v1 → the draft: steps 1 added, 1 changed, 1 removed, 1 moved; connections 1 added, 1 removed'],
    [
      'only moves, between versions',
      { ...diff, from: 2, to: 3, nodes: { added: [], removed: [], changed: [diff.nodes.changed[1]] }, edges: { added: [], removed: [] }, sameBehaviour: true },
      'v2 → v3: steps 1 moved (runs would behave the same)',
    ],
    ['nothing', { ...diff, nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] }, sameBehaviour: true }, 'v1 → the draft: no step or connection changed (runs would behave the same)'],
  ])('sums up: %s', (_name, d, expected) => {
    expect(diffSummary(d)).toBe(expected);
  });
});

describe('the diff canvas', () => {
  it('classes the later side’s steps and connections, and draws removed ones as ghosts joined to what is left', () => {
    const doc = {
      key: 'k',
      name: 'Kickoff',
      description: '',
      kind: 'onboarding',
      nodes: [
        { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { trigger: { type: 'manual' } } },
        { id: 'approve', type: 'approval', position: { x: 0, y: 200 }, data: {} },
        { id: 'wait-3d', type: 'wait', position: { x: 0, y: 400 }, data: { mode: 'duration', duration: '2 days' } },
        { id: 'wait-1', type: 'wait', position: { x: 0, y: 600 }, data: { mode: 'duration', duration: '1 day' } },
      ],
      edges: [edge('e1', 'start', 'approve'), edge('e3', 'wait-3d', 'wait-1')],
    } as unknown as Parameters<typeof diffFlow>[0];
    const flow = diffFlow(doc, diffHighlights({ ...diff, nodes: { ...diff.nodes, removed: [{ ...node('old-email', 'touch'), position: { x: 300, y: 300 } }] } }));
    const byId = Object.fromEntries(flow.nodes.map((n) => [n.id, n]));
    expect(byId['wait-1'].className).toBe('diff-added');
    expect(byId['wait-3d']).toMatchObject({ className: 'diff-changed', data: { stateDetail: 'Changed: duration: "3 days" → "2 days"', description: 'duration: "3 days" → "2 days"' } });
    expect(byId.start.className).toBe('diff-moved');
    expect(byId.approve.className).toBeUndefined();
    expect(byId['removed:old-email']).toMatchObject({ className: 'diff-removed', position: { x: 300, y: 300 }, type: 'touch', data: { stateDetail: 'Removed' } });
    expect(flow.edges.map((e) => [e.id, e.source, e.target, e.className])).toEqual([
      ['e1', 'start', 'approve', 'edge-next'],
      ['e3', 'wait-3d', 'wait-1', 'edge-next diff-added'],
      ['removed:e2', 'approve', 'removed:old-email', 'diff-removed'],
    ]);
  });
});
