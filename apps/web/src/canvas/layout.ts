/** The box a step node takes on the canvas (its CSS width; a generous height). */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 110;
const GAP_X = 60;
const GAP_Y = 70;
/** Beyond this many nodes the overlap check is skipped (quadratic); the stored positions are used. */
const MAX_CHECKED = 400;

export interface Point {
  x: number;
  y: number;
}
interface LayoutNode {
  id: string;
  position: Point;
}
interface LayoutEdge {
  source: string;
  target: string;
}

/** Whether any two node boxes intersect, i.e. the stored positions would draw nodes on top of each other. */
export function hasOverlap(nodes: LayoutNode[]): boolean {
  if (nodes.length > MAX_CHECKED) return false;
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].position;
      const b = nodes[j].position;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) return true;
    }
  }
  return false;
}

/**
 * A top-down layered layout: each node sits one layer below its deepest predecessor (longest path
 * from the trigger), and each layer is centred. Nodes on a cycle or unreachable go to a last layer.
 */
export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Record<string, Point> {
  const ids = new Set(nodes.map((n) => n.id));
  const incoming = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const outgoing = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
  }
  const layer = new Map<string, number>();
  const queue = nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) layer.set(id, 0);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const next of outgoing.get(id) ?? []) {
      layer.set(next, Math.max(layer.get(next) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (incoming.get(next) ?? 0) - 1;
      incoming.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  const last = Math.max(-1, ...layer.values()) + 1;
  const layers: string[][] = [];
  for (const n of nodes) (layers[layer.get(n.id) ?? last] ??= []).push(n.id);

  const positions: Record<string, Point> = {};
  layers.forEach((row, depth) => {
    row.forEach((id, i) => {
      positions[id] = { x: (i - (row.length - 1) / 2) * (NODE_WIDTH + GAP_X), y: depth * (NODE_HEIGHT + GAP_Y) };
    });
  });
  return positions;
}

/** The designer's positions when they draw a readable canvas, otherwise a layered layout. */
export function canvasPositions(nodes: LayoutNode[], edges: LayoutEdge[]): Record<string, Point> {
  return hasOverlap(nodes) ? layeredLayout(nodes, edges) : Object.fromEntries(nodes.map((n) => [n.id, n.position]));
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
/** Below this zoom the node text is too small to read; a longer playbook scrolls instead. */
export const READABLE_ZOOM = 0.75;
const MAX_ZOOM = 1.1;
const PAD = 24;

/**
 * Where the canvas opens: the whole playbook when it fits at a readable zoom; otherwise at a
 * readable zoom, centred across and starting at the top (or with `focus`, e.g. the step a run is
 * on, a third of the way down).
 */
export function initialViewport(bounds: Rect, size: { width: number; height: number }, focus?: Point): Viewport {
  const fit = Math.min((size.width - 2 * PAD) / bounds.width, (size.height - 2 * PAD) / bounds.height);
  const zoom = Math.min(MAX_ZOOM, Math.max(READABLE_ZOOM, fit));
  const place = (start: number, length: number, available: number, focusAt?: number) => {
    if (length * zoom + 2 * PAD <= available) return available / 2 - (start + length / 2) * zoom;
    const top = PAD - start * zoom;
    if (focusAt === undefined) return top;
    const bottom = available - PAD - (start + length) * zoom;
    return Math.min(top, Math.max(bottom, available / 3 - focusAt * zoom));
  };
  return { zoom, x: place(bounds.x, bounds.width, size.width, focus?.x), y: place(bounds.y, bounds.height, size.height, focus?.y) };
}
