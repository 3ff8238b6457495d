import { compilePlaybook } from './compile';
import type { PlaybookDocumentInput } from './document';
import { templates } from './templates';

const base = (): PlaybookDocumentInput => JSON.parse(JSON.stringify(templates['onboarding-kickoff']));

function withNode(id: string, patch: (node: { type: string; data: Record<string, unknown> }) => void): PlaybookDocumentInput {
  const doc = base();
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  patch(node as { type: string; data: Record<string, unknown> });
  return doc;
}

describe('compilePlaybook', () => {
  it('compiles the onboarding template to a plan with one step per node', () => {
    const result = compilePlaybook(templates['onboarding-kickoff']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.entryStepId).toBe('start');
    expect(Object.keys(result.plan.steps).sort()).toEqual(['approve-kickoff', 'done', 'kickoff-email', 'skipped', 'start', 'wait-3d']);
    expect(result.plan.steps['approve-kickoff'].next).toEqual({ approved: 'kickoff-email', rejected: 'skipped', expired: 'skipped' });
    expect(result.plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic: the same document gives byte-identical plans, whatever the key order or layout', () => {
    const a = compilePlaybook(base());
    const shuffled = base();
    shuffled.nodes.reverse();
    shuffled.edges.reverse();
    shuffled.nodes.forEach((n) => (n.position = { x: n.position.x + 500, y: 7 }));
    const b = compilePlaybook(shuffled);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('changes the hash when behaviour changes', () => {
    const a = compilePlaybook(base());
    const b = compilePlaybook(withNode('wait-3d', (n) => (n.data.duration = '4 days')));
    expect(a.ok && b.ok && a.plan.hash !== b.plan.hash).toBe(true);
  });

  type Case = [name: string, doc: () => unknown, expected: { code: string; nodeId?: string; edgeId?: string; path: string }];
  const cases: Case[] = [
    ['a wait without a valid duration', () => withNode('wait-3d', (n) => (n.data.duration = 'soon')), { code: 'node.invalid_data', nodeId: 'wait-3d', path: 'nodes[1].data.duration' }],
    ['a zero duration', () => withNode('wait-3d', (n) => (n.data.duration = '0 days')), { code: 'node.invalid_data', nodeId: 'wait-3d', path: 'nodes[1].data.duration' }],
    ['an approval without a title', () => withNode('approve-kickoff', (n) => delete n.data.title), { code: 'node.invalid_data', nodeId: 'approve-kickoff', path: 'nodes[2].data.title' }],
    ['an unknown field in node data', () => withNode('kickoff-email', (n) => (n.data.cc = 'boss@example.com')), { code: 'node.invalid_data', nodeId: 'kickoff-email', path: 'nodes[3].data' }],
    ['an unknown node type', () => withNode('wait-3d', (n) => (n.type = 'teleport')), { code: 'node.unknown_type', nodeId: 'wait-3d', path: 'nodes[1].type' }],
    [
      'a second trigger',
      () => {
        const doc = base();
        doc.nodes.push({ id: 'start-2', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } });
        doc.edges.push({ id: 'e9', source: 'start-2', target: 'wait-3d' });
        return doc;
      },
      { code: 'playbook.multiple_triggers', nodeId: 'start-2', path: 'nodes[6]' },
    ],
    [
      'no trigger',
      () => {
        const doc = base();
        doc.nodes = doc.nodes.filter((n) => n.id !== 'start');
        doc.edges = doc.edges.filter((e) => e.source !== 'start');
        return doc;
      },
      { code: 'playbook.no_trigger', path: 'nodes' },
    ],
    [
      'an edge to a missing step',
      () => {
        const doc = base();
        doc.edges[5].target = 'nowhere';
        return doc;
      },
      { code: 'edge.unknown_target', edgeId: 'e6', path: 'edges[5].target' },
    ],
    [
      'an edge from an output the node does not have',
      () => {
        const doc = base();
        doc.edges[2].sourceHandle = 'maybe';
        return doc;
      },
      { code: 'edge.unknown_handle', edgeId: 'e3', path: 'edges[2].sourceHandle' },
    ],
    [
      'an approval edge without a handle',
      () => {
        const doc = base();
        delete doc.edges[2].sourceHandle;
        return doc;
      },
      { code: 'edge.handle_required', edgeId: 'e3', path: 'edges[2].sourceHandle' },
    ],
    [
      'an output connected twice',
      () => {
        const doc = base();
        doc.edges.push({ id: 'e7', source: 'kickoff-email', target: 'skipped' });
        return doc;
      },
      { code: 'edge.duplicate_output', edgeId: 'e7', path: 'edges[6].sourceHandle' },
    ],
    [
      'a required output left unconnected',
      () => {
        const doc = base();
        doc.edges = doc.edges.filter((e) => e.id !== 'e3');
        return doc;
      },
      { code: 'node.output_unconnected', nodeId: 'approve-kickoff', path: 'nodes[2]' },
    ],
    [
      'a step nothing leads to',
      () => {
        const doc = base();
        doc.nodes.push({ id: 'orphan', type: 'end', position: { x: 0, y: 0 }, data: {} });
        return doc;
      },
      { code: 'node.unreachable', nodeId: 'orphan', path: 'nodes[6]' },
    ],
    [
      'a loop without a wait',
      () => {
        const doc = base();
        doc.edges = doc.edges.filter((e) => e.id !== 'e6');
        doc.edges.push({ id: 'loop', source: 'kickoff-email', target: 'approve-kickoff' });
        return doc;
      },
      { code: 'graph.zero_time_loop', path: expect.stringMatching(/^nodes\[\d\]$/) as unknown as string },
    ],
    ['an unknown top-level field', () => ({ ...base(), owner: 'me' }), { code: 'document.invalid', path: '' }],
    ['a bad key', () => ({ ...base(), key: 'Not A Key' }), { code: 'document.invalid', path: 'key' }],
    ['not an object at all', () => 'hello', { code: 'document.invalid', path: '' }],
  ];

  it.each(cases)('rejects %s with a diagnostic naming where', (_name, doc, expected) => {
    const result = compilePlaybook(doc());
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', ...expected })]));
    for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(10);
  });

  it('accepts a loop that passes through a wait', () => {
    const doc = base();
    doc.edges = doc.edges.filter((e) => e.id !== 'e4');
    doc.edges.push({ id: 'retry', source: 'approve-kickoff', sourceHandle: 'rejected', target: 'wait-3d' });
    expect(compilePlaybook(doc).ok).toBe(true);
  });

  it('ends the run on an unconnected optional output', () => {
    const doc = base();
    doc.edges = doc.edges.filter((e) => e.id !== 'e4');
    const result = compilePlaybook(doc);
    expect(result.ok && result.plan.steps['approve-kickoff'].next.rejected).toBeNull();
  });
});
