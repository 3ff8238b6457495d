import { nodeTypes, playbookDocumentSchema, templates, type PlaybookDocument } from '@cairn/playbook';
import { runOverlay } from '../runs/run-states';
import { toFlow } from './to-flow';

const parse = (key: string): PlaybookDocument => playbookDocumentSchema.parse(templates[key]);
const doc = parse('onboarding-kickoff');

describe('toFlow', () => {
  it('maps every node and edge, with labels and outputs from the node registry', () => {
    const { nodes, edges } = toFlow(doc);
    expect(nodes.map((n) => n.id)).toEqual(['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done', 'skipped']);
    expect(nodes.map((n) => n.type)).toEqual(['trigger', 'wait', 'approval', 'touch', 'end', 'end']);
    expect(edges).toHaveLength(6);
    const approval = nodes.find((n) => n.id === 'approve-kickoff');
    expect(approval?.data).toMatchObject({ typeLabel: 'Approval', category: 'human', title: 'CSM approves kickoff', detail: 'Send the kickoff email to {{account.name}}? · SLA 2 days', problem: null });
    expect(approval?.data.outputs.map((o) => o.handle)).toEqual(['approved', 'rejected', 'expired']);
    expect(nodes.find((n) => n.id === 'wait-3d')?.data.detail).toBe('for 3 days');
    expect(nodes.find((n) => n.id === 'start')?.data.hasInput).toBe(false);
    expect(edges.find((e) => e.id === 'e1')?.sourceHandle).toBe('next');
    expect(edges.find((e) => e.id === 'e4')).toMatchObject({ sourceHandle: 'rejected', className: 'edge-rejected' });
  });

  it.each(Object.keys(templates))('draws the %s template: every node valid and described, every edge on an existing handle', (key) => {
    const { nodes, edges } = toFlow(parse(key));
    for (const node of nodes) {
      expect(nodeTypes).toContain(node.type);
      expect({ id: node.id, problem: node.data.problem }).toEqual({ id: node.id, problem: null });
      expect(node.data.detail).not.toBe('');
    }
    const handles = new Map(nodes.map((n) => [n.id, n.data.outputs.map((o) => o.handle)]));
    for (const edge of edges) expect(handles.get(edge.source)).toContain(edge.sourceHandle);
  });

  it('shows an unknown node type instead of failing', () => {
    const { nodes } = toFlow({ ...doc, nodes: [{ id: 'x', type: 'teleport', position: { x: 0, y: 0 }, data: {} }], edges: [] });
    expect(nodes[0]).toMatchObject({ type: 'unknown', data: { typeLabel: 'Unknown (teleport)', outputs: [], problem: 'Unknown node type "teleport"' } });
  });

  it('shows why a draft step is invalid and keeps its handles', () => {
    const { nodes } = toFlow({ ...doc, nodes: [{ id: 'a', type: 'approval', position: { x: 0, y: 0 }, data: { title: '' } }], edges: [] });
    expect(nodes[0].data.problem).toBe('Say what the approver is asked to approve');
    expect(nodes[0].data.outputs.map((o) => o.handle)).toEqual(['approved', 'rejected', 'expired']);
  });

  it('marks the path a run took', () => {
    const overlay = { states: { start: 'done', 'wait-3d': 'done', 'approve-kickoff': 'done', skipped: 'current' } as const, outcomes: { 'approve-kickoff': 'rejected' } };
    const { nodes, edges } = toFlow(doc, overlay);
    expect(nodes.find((n) => n.id === 'skipped')?.data.state).toBe('current');
    const taken = edges.filter((e) => e.className?.includes('is-taken')).map((e) => e.id);
    expect(taken).toEqual(['e1', 'e2', 'e4']);
  });
});

describe('runOverlay', () => {
  const step = (nodeId: string, status: 'completed' | 'waiting', outcome: string | null = null) => ({ id: nodeId, nodeId, nodeType: 'x', status, visit: 0, outcome, startedReason: null, reason: null, startedAt: '', completedAt: null });

  it('marks completed steps done and the current step current', () => {
    const overlay = runOverlay({ status: 'running', currentNodeId: 'approve-kickoff', steps: [step('start', 'completed', 'next'), step('wait-3d', 'completed', 'next')] });
    expect(overlay.states).toEqual({ start: 'done', 'wait-3d': 'done', 'approve-kickoff': 'current' });
    expect(overlay.outcomes).toEqual({ start: 'next', 'wait-3d': 'next' });
  });

  it('shows no current step once the run has ended', () => {
    const overlay = runOverlay({ status: 'failed', currentNodeId: 'kickoff-email', steps: [step('start', 'completed'), step('kickoff-email', 'waiting')] });
    expect(overlay.states).toEqual({ start: 'done' });
  });
});
