import { canvasPositions, hasOverlap, initialViewport, layeredLayout, NODE_HEIGHT, NODE_WIDTH, READABLE_ZOOM } from './layout';

const at = (id: string, x = 0, y = 0) => ({ id, position: { x, y } });

describe('canvas layout', () => {
  it('keeps the designer positions when nodes do not overlap', () => {
    const nodes = [at('a', 0, 0), at('b', 0, 150), at('c', 300, 150)];
    expect(hasOverlap(nodes)).toBe(false);
    expect(canvasPositions(nodes, [])).toEqual({ a: { x: 0, y: 0 }, b: { x: 0, y: 150 }, c: { x: 300, y: 150 } });
  });

  it('lays out stacked nodes in layers by their longest path from the start', () => {
    const nodes = [at('start'), at('wait'), at('ok'), at('no'), at('end')];
    const edges = [
      { source: 'start', target: 'wait' },
      { source: 'wait', target: 'ok' },
      { source: 'wait', target: 'no' },
      { source: 'ok', target: 'end' },
      { source: 'start', target: 'end' },
    ];
    expect(hasOverlap(nodes)).toBe(true);
    const p = canvasPositions(nodes, edges);
    expect([p.start.y, p.wait.y, p.ok.y, p.end.y].every((y, i, ys) => i === 0 || y > ys[i - 1])).toBe(true);
    expect(p.ok.y).toBe(p.no.y);
    expect(hasOverlap(Object.entries(p).map(([id, position]) => ({ id, position })))).toBe(false);
    expect(Math.abs(p.ok.x - p.no.x)).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(p.wait.y - p.start.y).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('terminates on a cycle, placing its nodes below their known predecessors', () => {
    const p = layeredLayout([at('a'), at('b'), at('c')], [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'b' }]);
    expect(p.a.y).toBe(0);
    expect(p.b.y).toBeGreaterThan(0);
    expect(p.c.y).toBeGreaterThan(p.b.y);
  });
});

describe('initialViewport', () => {
  const size = { width: 1200, height: 600 };

  it('fits a small playbook, centred', () => {
    const v = initialViewport({ x: 0, y: 0, width: 500, height: 400 }, size);
    expect(v.zoom).toBeCloseTo(1.1);
    expect(v.x + 250 * v.zoom).toBeCloseTo(600);
    expect(v.y + 200 * v.zoom).toBeCloseTo(300);
  });

  it('opens a long playbook at a readable zoom, from its top', () => {
    const v = initialViewport({ x: -100, y: -50, width: 500, height: 2000 }, size);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.y + -50 * v.zoom).toBe(24);
  });

  it('scrolls a long playbook to the focused step, never past its ends', () => {
    const bounds = { x: 0, y: 0, width: 500, height: 2000 };
    const v = initialViewport(bounds, size, { x: 250, y: 1000 });
    expect(1000 * v.zoom + v.y).toBeCloseTo(200);
    const last = initialViewport(bounds, size, { x: 250, y: 2000 });
    expect(2000 * last.zoom + last.y).toBeCloseTo(600 - 24);
  });
});
