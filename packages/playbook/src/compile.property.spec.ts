import fc from 'fast-check';
import { compilePlaybook } from './compile';
import { nodeDefinition, nodeTypes } from './nodes/registry';

const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'start', 'end-1', 'x y');

/** Nodes of every type, mostly with valid default data, sometimes with junk. */
const node = fc.record({
  id: ids,
  type: fc.oneof(fc.constantFrom(...nodeTypes), fc.string()),
  position: fc.oneof(fc.record({ x: fc.integer(), y: fc.integer() }), fc.constant(null)),
  junk: fc.boolean(),
  data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
});

const edge = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  source: ids,
  target: ids,
  sourceHandle: fc.option(fc.constantFrom('next', 'approved', 'rejected', 'expired', 'received', 'timed_out', 'otherwise', 'done', 'overdue', 'nope'), { nil: undefined }),
});

const documentArb = fc.record({ nodes: fc.array(node, { maxLength: 14 }), edges: fc.array(edge, { maxLength: 20 }), breakShape: fc.boolean() }).map(({ nodes, edges, breakShape }) => ({
  schemaVersion: 2,
  key: breakShape ? 'Bad Key' : 'random',
  name: 'Random',
  nodes: nodes.map((n) => ({
    id: n.id,
    type: n.type,
    position: n.position ?? { x: 0, y: 0 },
    data: !n.junk && (nodeTypes as string[]).includes(n.type) ? (nodeDefinition(n.type as (typeof nodeTypes)[number]).defaults as Record<string, unknown>) : n.data,
  })),
  edges,
}));

describe('compilePlaybook on random graphs', () => {
  it('never throws: it returns a plan or diagnostics that say where', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const result = compilePlaybook(doc);
        if (result.ok) {
          expect(Object.keys(result.plan.steps).length).toBe(doc.nodes.length);
          expect(result.plan.timeline[result.plan.entryStepId]).toEqual({ earliestDay: 0, latestDay: 0 });
        } else {
          expect(result.diagnostics.length).toBeGreaterThan(0);
          for (const d of result.diagnostics) expect(typeof d.path).toBe('string');
        }
      }),
      { numRuns: 600 },
    );
  });

  it('is deterministic on whatever it is given', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        expect(JSON.stringify(compilePlaybook(structuredClone(doc)))).toBe(JSON.stringify(compilePlaybook(structuredClone(doc))));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(compilePlaybook(value).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
