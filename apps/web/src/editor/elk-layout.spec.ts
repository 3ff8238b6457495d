import { playbookDocumentSchema, templates } from '@cairn/playbook';
import { elkGraph, elkLayout, positionsFromElk } from './elk-layout';

describe('auto-layout with elk', () => {
  const doc = playbookDocumentSchema.parse(templates['onboarding-kickoff']);

  it('maps each node to an ELK node with a port per output, and each edge from its output port', () => {
    const graph = elkGraph(doc, { start: { width: 250, height: 90 } });
    expect(graph.children?.find((c) => c.id === 'start')).toMatchObject({ width: 250, height: 90 });
    expect(graph.children?.find((c) => c.id === 'approve-kickoff')?.ports?.map((p) => p.id)).toEqual(['approve-kickoff::approved', 'approve-kickoff::rejected', 'approve-kickoff::expired']);
    expect(graph.edges?.find((e) => e.sources[0] === 'approve-kickoff::approved')?.targets).toEqual(['kickoff-email']);
    expect(graph.edges).toHaveLength(doc.edges.length);
  });

  it('reads whole-pixel positions back', () => {
    expect(positionsFromElk({ id: 'root', children: [{ id: 'a', x: 1.6, y: 2.2 }, { id: 'b' }] })).toEqual({ a: { x: 2, y: 2 }, b: { x: 0, y: 0 } });
  });

  it('lays a playbook out top to bottom', async () => {
    // Loaded with require here: jest runs CommonJS.
    const p = await elkLayout(doc, undefined, async () => ({ default: require('elkjs/lib/elk.bundled.js') }));
    expect(p.start.y).toBeLessThan(p['wait-3d'].y);
    expect(p['wait-3d'].y).toBeLessThan(p['approve-kickoff'].y);
    expect(p['approve-kickoff'].y).toBeLessThan(p['kickoff-email'].y);
  });
});
