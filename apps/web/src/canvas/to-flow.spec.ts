import { templates, type PlaybookDocument } from '@cairn/playbook';
import { runStates } from '../runs/run-states';
import { stepDetail, toFlow } from './to-flow';

const doc = templates['onboarding-kickoff'] as PlaybookDocument;

describe('toFlow', () => {
  it('maps every node and edge, with outputs from the node registry', () => {
    const { nodes, edges } = toFlow(doc);
    expect(nodes.map((n) => n.id)).toEqual(['start', 'wait-3d', 'approve-kickoff', 'kickoff-email', 'done', 'skipped']);
    expect(edges).toHaveLength(6);
    const approval = nodes.find((n) => n.id === 'approve-kickoff');
    expect(approval?.data.outputs.map((o) => o.handle)).toEqual(['approved', 'rejected', 'expired']);
    expect(nodes.find((n) => n.id === 'start')?.data.hasInput).toBe(false);
    expect(edges.find((e) => e.id === 'e1')?.sourceHandle).toBe('next');
  });

  it('shows an unknown node type instead of failing', () => {
    const { nodes } = toFlow({ ...doc, nodes: [{ id: 'x', type: 'teleport', position: { x: 0, y: 0 }, data: {} }], edges: [] });
    expect(nodes[0].data).toMatchObject({ typeLabel: 'Unknown (teleport)', outputs: [] });
  });

  it.each([
    ['wait', { duration: '3 days' }, 'for 3 days'],
    ['wait', { mode: 'until_day', day: 30 }, 'until day 30'],
    ['wait', { mode: 'until_date', field: 'renewal_date', offsetDays: -90 }, 'until renewal date − 90 days'],
    ['approval', { title: 'Send it?', sla: '2 days' }, 'Send it? · SLA 2 days'],
    ['touch', { channel: 'email', to: 'economic_buyer', subject: 'Hi' }, 'email to economic buyer: Hi'],
    ['end', { outcome: 'exited', reason: 'declined' }, 'exit: declined'],
  ])('describes a %s step', (type, data, text) => expect(stepDetail(type, data)).toBe(text));
});

describe('runStates', () => {
  it('marks completed steps done and the current step current', () => {
    const step = (nodeId: string, status: 'completed' | 'waiting') => ({ id: nodeId, nodeId, nodeType: 'x', status, outcome: null, reason: null, startedAt: '', completedAt: null });
    expect(runStates({ status: 'running', currentNodeId: 'wait-3d', steps: [step('start', 'completed'), step('wait-3d', 'waiting')] })).toEqual({ start: 'done', 'wait-3d': 'current' });
  });
});
