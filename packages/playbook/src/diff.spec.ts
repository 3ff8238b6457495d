import { diffPlaybooks } from './diff';
import { type PlaybookDocument, playbookDocumentSchema } from './document';

const base: PlaybookDocument = playbookDocumentSchema.parse({
  schemaVersion: 2,
  key: 'kickoff',
  name: 'Kickoff',
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
    { id: 'wait', type: 'wait', position: { x: 0, y: 100 }, data: { mode: 'duration', duration: '3 days' } },
    { id: 'done', type: 'end', position: { x: 0, y: 200 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'done' },
  ],
});

const edit = (change: (d: PlaybookDocument) => void): PlaybookDocument => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

describe('diffPlaybooks', () => {
  it('finds nothing between a document and itself', () => {
    expect(diffPlaybooks(base, base)).toEqual({ nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [] }, document: [], sameBehaviour: true });
  });

  it.each<[string, (d: PlaybookDocument) => void, (diff: ReturnType<typeof diffPlaybooks>) => void]>([
    [
      'a changed wait, field by field',
      (d) => (d.nodes[1].data.duration = '5 days'),
      (diff) => {
        expect(diff.nodes.changed).toEqual([{ id: 'wait', type: 'wait', changes: [{ path: 'data.duration', before: '3 days', after: '5 days' }], moved: false }]);
        expect(diff.sameBehaviour).toBe(false);
      },
    ],
    [
      'a move on the canvas only',
      (d) => (d.nodes[1].position = { x: 40, y: 120 }),
      (diff) => {
        expect(diff.nodes.changed).toEqual([{ id: 'wait', type: 'wait', changes: [], moved: true }]);
        expect(diff.sameBehaviour).toBe(true);
      },
    ],
    [
      'a node added between two, with its edges',
      (d) => {
        d.nodes.push({ id: 'email', type: 'touch', position: { x: 0, y: 150 }, data: { channel: 'email', to: 'champion', subject: 'Hi', body: 'Hello' } });
        d.edges = [d.edges[0], { id: 'e3', source: 'wait', target: 'email' }, { id: 'e4', source: 'email', target: 'done' }];
      },
      (diff) => {
        expect(diff.nodes.added.map((n) => n.id)).toEqual(['email']);
        expect(diff.edges.added.map((e) => `${e.source}>${e.target}`)).toEqual(['wait>email', 'email>done']);
        expect(diff.edges.removed.map((e) => `${e.source}>${e.target}`)).toEqual(['wait>done']);
      },
    ],
    [
      'an edge re-drawn with a new id is the same edge',
      (d) => (d.edges[1] = { id: 'redrawn', source: 'wait', target: 'done' }),
      (diff) => expect(diff).toMatchObject({ edges: { added: [], removed: [] }, sameBehaviour: true }),
    ],
    [
      'a removed node',
      (d) => {
        d.nodes.splice(1, 1);
        d.edges = [{ id: 'e1', source: 'start', target: 'done' }];
      },
      (diff) => expect(diff.nodes.removed.map((n) => n.id)).toEqual(['wait']),
    ],
    [
      'settings and audience',
      (d) => {
        d.settings.reentry = { policy: 'every_time' };
        d.audience.segments = ['high-touch'];
        d.name = 'Kickoff v2';
      },
      (diff) => {
        expect(diff.document).toEqual([
          { path: 'name', before: 'Kickoff', after: 'Kickoff v2' },
          { path: 'audience.segments', before: [], after: ['high-touch'] },
          { path: 'settings.reentry.policy', before: 'once', after: 'every_time' },
        ]);
        expect(diff.sameBehaviour).toBe(false);
      },
    ],
    [
      'a renamed playbook behaves the same',
      (d) => (d.name = 'Kickoff (renamed)'),
      (diff) => expect(diff.sameBehaviour).toBe(true),
    ],
  ])('%s', (_, change, check) => {
    check(diffPlaybooks(base, edit(change)));
  });
});
