import { compilePlaybook, playbookDocumentSchema, templates } from '@cairn/playbook';
import { createEditorStore, HISTORY_LIMIT } from './store';

const kickoff = () => playbookDocumentSchema.parse(templates['onboarding-kickoff']);

describe('editor store', () => {
  it('inserts after the selected node, and undoes and redoes it as whole documents', () => {
    const store = createEditorStore(kickoff());
    store.getState().select(['kickoff-email']);
    const before = store.getState().doc;
    const id = store.getState().insertNode('milestone');
    expect(store.getState().doc.nodes.map((n) => n.id)).toContain(id);
    expect(store.getState().selectedNodes).toEqual([id]);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
    store.getState().redo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toContain(id);
    expect(store.getState().edits).toBe(3);
  });

  it('refuses an invalid connection with its reason, leaving the document as it was', () => {
    const store = createEditorStore(kickoff());
    const doc = store.getState().doc;
    expect(store.getState().connect({ source: 'wait-3d', target: 'start' })).toBe(false);
    expect(store.getState().notice).toEqual({ kind: 'refused', text: expect.stringContaining('Nothing can come before the trigger') });
    expect(store.getState().doc).toBe(doc);
    expect(store.getState().past).toHaveLength(0);
  });

  it('deletes the multi-selection, and copies and pastes with fresh ids', () => {
    const store = createEditorStore(kickoff());
    store.getState().select(['done', 'skipped']);
    store.getState().copy();
    store.getState().removeSelected();
    expect(store.getState().doc.nodes.map((n) => n.id)).not.toContain('done');
    store.getState().paste();
    expect(store.getState().selectedNodes).toEqual(['done-1', 'skipped-1']);
  });

  it('keeps the canvas node of every step an edit did not touch', () => {
    const store = createEditorStore(kickoff());
    const before = new Map(store.getState().nodes.map((n) => [n.id, n]));
    store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: '30 days' });
    const after = store.getState().nodes;
    expect(after.filter((n) => n !== before.get(n.id)).map((n) => n.id)).toEqual(['wait-3d']);
    expect(after.find((n) => n.id === 'wait-3d')?.data.detail).toBe('for 30 days');
  });

  it('puts diagnostics on the nodes and edges they concern', () => {
    const store = createEditorStore(kickoff());
    store.getState().updateNodeData('wait-3d', { mode: 'duration', duration: 'soon' });
    store.getState().setDiagnostics(compilePlaybook(store.getState().doc).diagnostics);
    const wait = store.getState().nodes.find((n) => n.id === 'wait-3d');
    expect(wait?.data.problems[0].message).toMatch(/"soon" is not a duration/);
    expect(store.getState().nodes.filter((n) => n.data.problems.length).map((n) => n.id)).toEqual(['wait-3d']);
  });

  it('commits a drag to the document when it ends, as one edit', () => {
    const store = createEditorStore(kickoff());
    store.getState().onNodesChange([{ type: 'position', id: 'done', position: { x: 1, y: 2 }, dragging: true }]);
    expect(store.getState().past).toHaveLength(0);
    store.getState().onNodesChange([{ type: 'position', id: 'done', position: { x: 3, y: 4 }, dragging: false }]);
    expect(store.getState().doc.nodes.find((n) => n.id === 'done')?.position).toEqual({ x: 3, y: 4 });
    expect(store.getState().past).toHaveLength(1);
  });

  it(`keeps at most ${HISTORY_LIMIT} documents to undo`, () => {
    const store = createEditorStore(kickoff());
    for (let i = 1; i <= HISTORY_LIMIT + 5; i++) store.getState().applyPositions({ done: { x: i, y: i } });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('changes nothing when read only', () => {
    const store = createEditorStore(kickoff(), { readOnly: true });
    const doc = store.getState().doc;
    store.getState().insertNode('wait');
    store.getState().select(['done']);
    store.getState().removeSelected();
    expect(store.getState().doc).toBe(doc);
  });
});
