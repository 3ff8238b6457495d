import { compilePlaybook, type PlaybookDocument, playbookDocumentSchema, templates } from '@cairn/playbook';
import { addNode, connect, connectionProblem, copyElements, freshId, insertAfter, moveNodes, pasteElements, removeElements } from './document-edits';

const kickoff = (): PlaybookDocument => playbookDocumentSchema.parse(templates['onboarding-kickoff']);

/** trigger → wait → touch, a loop-free straight line. */
function line(): PlaybookDocument {
  return playbookDocumentSchema.parse({
    schemaVersion: 2,
    key: 'line',
    name: 'Line',
    nodes: [
      { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } },
      { id: 'hello', type: 'touch', position: { x: 0, y: 150 }, data: { channel: 'email', to: 'champion', subject: 'Hi', body: 'Hi' } },
      { id: 'update', type: 'update_account', position: { x: 0, y: 300 }, data: { set: 'lifecycle_stage', stage: 'adopting' } },
      { id: 'pause', type: 'wait', position: { x: 0, y: 450 }, data: { mode: 'duration', duration: '1 day' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'hello' },
      { id: 'e2', source: 'hello', target: 'update' },
    ],
  });
}

describe('document edits', () => {
  it.each([
    [[], 'wait', 'wait-1'],
    [['wait-1'], 'wait', 'wait-2'],
    [['wait-1', 'wait-2'], 'wait_for', 'wait-for-1'],
    [['approve-1'], 'approve-1', 'approve-2'],
  ])('fresh id among %j for %s is %s', (taken, base, id) => expect(freshId(new Set(taken), base)).toBe(id));

  it('adds a node with its registry defaults, which validate', () => {
    const { doc, id } = addNode(line(), 'approval', { x: 10.4, y: 20.6 });
    const node = doc.nodes.find((n) => n.id === id);
    expect(node).toMatchObject({ type: 'approval', position: { x: 10, y: 21 }, data: { title: 'Approve the next touch' } });
  });

  it('inserts after the selected node on its free output', () => {
    const { doc, id } = insertAfter(line(), 'update', 'end');
    expect(doc.edges.find((e) => e.target === id)).toMatchObject({ source: 'update', sourceHandle: 'next' });
    expect(doc.nodes.find((n) => n.id === id)?.position.y).toBeGreaterThan(300);
  });

  it('splices a node in when the output is taken: a → new → what a led to', () => {
    const { doc, id } = insertAfter(line(), 'start', 'wait');
    expect(doc.edges.filter((e) => e.source === 'start').map((e) => e.target)).toEqual([id]);
    expect(doc.edges.filter((e) => e.source === id).map((e) => e.target)).toEqual(['hello']);
    expect(doc.nodes.find((n) => n.id === 'hello')?.position.y).toBeGreaterThan(150);
  });

  type Refusal = [what: string, connection: { source: string; target: string; sourceHandle?: string }, reason: RegExp];
  const refusals: Refusal[] = [
    ['into the trigger', { source: 'hello', target: 'start' }, /Nothing can come before the trigger/],
    ['a node to itself', { source: 'hello', target: 'hello' }, /cannot lead to itself/],
    ['an output already used', { source: 'start', target: 'update' }, /"Next" output of "Trigger" already leads to "Touch"/],
    ['a loop without a wait', { source: 'update', target: 'hello' }, /loop .* no wait/],
    ['an unknown output', { source: 'update', target: 'pause', sourceHandle: 'approved' }, /Pick which output/],
    ['an end (no outputs)', { source: 'done', target: 'approve-kickoff' }, /has no output/],
  ];
  it.each(refusals)('refuses a connection %s, saying why', (_what, c, reason) => {
    const doc = c.source === 'done' ? kickoff() : line();
    expect(connectionProblem(doc, c)).toMatch(reason);
    expect(connect(doc, c)).toEqual({ problem: expect.stringMatching(reason) });
  });

  it('allows a loop through a wait, and connects a named output', () => {
    const withPause = connect(line(), { source: 'update', target: 'pause' });
    expect('doc' in withPause).toBe(true);
    if (!('doc' in withPause)) return;
    expect(connectionProblem(withPause.doc, { source: 'pause', target: 'hello' })).toBeNull();
    const k = removeElements(kickoff(), [], [kickoff().edges.find((e) => e.sourceHandle === 'expired')?.id as string]);
    const result = connect(k, { source: 'approve-kickoff', sourceHandle: 'expired', target: 'skipped' });
    expect('doc' in result && result.doc.edges.at(-1)).toMatchObject({ source: 'approve-kickoff', sourceHandle: 'expired', target: 'skipped' });
  });

  it('removes nodes with their connections', () => {
    const doc = removeElements(line(), ['hello'], []);
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'update', 'pause']);
    expect(doc.edges).toEqual([]);
  });

  it('pastes a copy with fresh ids and the connections between the copied nodes', () => {
    const doc = kickoff();
    const clip = copyElements(doc, ['wait-3d', 'approve-kickoff']);
    expect(clip?.edges.map((e) => [e.source, e.target])).toEqual([['wait-3d', 'approve-kickoff']]);
    const pasted = pasteElements(doc, clip as NonNullable<typeof clip>);
    expect(pasted.ids).toEqual(['wait-3d-1', 'approve-kickoff-1']);
    expect(pasted.doc.edges.at(-1)).toMatchObject({ source: 'wait-3d-1', target: 'approve-kickoff-1' });
    expect(new Set(pasted.doc.edges.map((e) => e.id)).size).toBe(pasted.doc.edges.length);
    // Still a document the compiler reads (the copies are unreachable, which it says).
    expect(compilePlaybook(pasted.doc).diagnostics.map((d) => d.code)).toContain('node.unreachable');
  });

  it('moves nodes, keeping the document when nothing moved', () => {
    const doc = line();
    expect(moveNodes(doc, { hello: { x: 0, y: 150 } })).toBe(doc);
    const moved = moveNodes(doc, { hello: { x: 5.2, y: 9.7 } });
    expect(moved.nodes[1].position).toEqual({ x: 5, y: 10 });
    expect(moved.nodes[0]).toBe(doc.nodes[0]);
  });
});
