import { type NodeType, type PlaybookDocument, type PlaybookEdge, type PlaybookNode, TIME_PASSING_TYPES } from '@cairn/playbook';
import { NODE_HEIGHT, NODE_WIDTH, type Point } from '../canvas/layout';
import { stepNodeData } from '../canvas/to-flow';
import { editorNodeTypes } from './registry';

/**
 * Edits of a playbook document, as pure functions from one document to the next: what the editor's
 * store calls, and what its table-driven specs check. Documents are never mutated, so unchanged
 * nodes keep their identity (the canvas re-renders only what changed).
 */

const GAP_Y = 60;

/** Documents are plain JSON, so a JSON round trip is a deep copy (and works where structuredClone does not). */
const plainCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The outputs a node offers (from the registry; a draft's invalid data falls back to its type's defaults). */
export function nodeOutputs(node: PlaybookNode): Array<{ handle: string; label: string }> {
  return stepNodeData(node).outputs;
}

/** A fresh node id from the type: `wait-1`, `wait-2`, … (ids are what conditions and runs name). */
export function freshId(taken: ReadonlySet<string>, base: string): string {
  const stem = base.replaceAll('_', '-').replace(/-\d+$/, '') || 'step';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}

export const edgeIdOf = (source: string, handle: string, target: string) => `${source}.${handle}->${target}`.slice(0, 64).replace(/[^A-Za-z0-9_.-]/g, '_');

function freshEdgeId(doc: PlaybookDocument, source: string, handle: string, target: string): string {
  const taken = new Set(doc.edges.map((e) => e.id));
  const base = edgeIdOf(source, handle, target);
  if (!taken.has(base)) return base;
  return freshId(taken, `e-${source}`.slice(0, 50));
}

/** Adds a node of `type` with its registry defaults at `position`. */
export function addNode(doc: PlaybookDocument, type: NodeType, position: Point): { doc: PlaybookDocument; id: string } {
  const id = freshId(new Set(doc.nodes.map((n) => n.id)), type);
  const node: PlaybookNode = { id, type, position: { x: Math.round(position.x), y: Math.round(position.y) }, data: editorNodeTypes[type].defaults() };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/**
 * Adds a node of `type` after `afterId`: below it, connected from its first free output; when every
 * output is taken, it goes between the node and what its first output led to. Without a node to
 * follow, it goes below the lowest node.
 */
export function insertAfter(doc: PlaybookDocument, afterId: string | null, type: NodeType): { doc: PlaybookDocument; id: string } {
  const after = afterId ? doc.nodes.find((n) => n.id === afterId) : undefined;
  const lowest = doc.nodes.reduce((y, n) => Math.max(y, n.position.y), -Infinity);
  const position = after ? { x: after.position.x, y: after.position.y + NODE_HEIGHT + GAP_Y } : { x: 0, y: Number.isFinite(lowest) ? lowest + NODE_HEIGHT + GAP_Y : 0 };
  const added = addNode(doc, type, position);
  if (!after) return added;
  const outputs = nodeOutputs(after);
  if (outputs.length === 0 || type === 'trigger') return added;
  const used = new Map(doc.edges.filter((e) => e.source === after.id).map((e) => [e.sourceHandle ?? outputs[0].handle, e]));
  const free = outputs.find((o) => !used.has(o.handle));
  let next = added.doc;
  if (free) return { doc: { ...next, edges: [...next.edges, edge(next, after.id, free.handle, added.id)] }, id: added.id };
  // Splice: after → new → whatever after's first output led to. Nodes below move down to make room.
  const handle = outputs[0].handle;
  const old = used.get(handle) as PlaybookEdge;
  const shifted = next.nodes.map((n) => (n.id !== added.id && n.id !== after.id && n.position.y > after.position.y ? { ...n, position: { ...n.position, y: n.position.y + NODE_HEIGHT + GAP_Y } } : n));
  next = { ...next, nodes: shifted, edges: next.edges.filter((e) => e !== old) };
  const newOutputs = nodeOutputs(next.nodes.find((n) => n.id === added.id) as PlaybookNode);
  const edges = [...next.edges, edge(next, after.id, handle, added.id)];
  if (newOutputs.length > 0) edges.push(edge({ ...next, edges }, added.id, newOutputs[0].handle, old.target));
  return { doc: { ...next, edges }, id: added.id };
}

function edge(doc: PlaybookDocument, source: string, handle: string, target: string): PlaybookEdge {
  return { id: freshEdgeId(doc, source, handle, target), source, target, sourceHandle: handle };
}

export interface Connection {
  source: string;
  sourceHandle?: string | null;
  target: string;
}

/** Whether `to` can be reached from `from` along edges without passing a node where time passes. */
function reachesWithoutWait(doc: PlaybookDocument, from: string, to: string): boolean {
  const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const out = new Map<string, string[]>();
  for (const e of doc.edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id) || TIME_PASSING_TYPES.has(types.get(id) ?? '')) continue;
    seen.add(id);
    stack.push(...(out.get(id) ?? []));
  }
  return false;
}

/**
 * Why a connection would be invalid, in words for the person drawing it, or null when it is fine.
 * The compiler checks the same rules at publish; refusing here keeps the canvas honest.
 */
export function connectionProblem(doc: PlaybookDocument, c: Connection): string | null {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'Connect two steps of this playbook';
  const name = (n: PlaybookNode) => `"${stepNodeData(n).title}"`;
  if (target.type === 'trigger') return `Nothing can come before the trigger: ${name(target)} is where the playbook starts`;
  if (source.id === target.id) return `${name(source)} cannot lead to itself`;
  const outputs = nodeOutputs(source);
  if (outputs.length === 0) return `${name(source)} ends the run: it has no output to connect`;
  const handle = c.sourceHandle ?? (outputs.length === 1 ? outputs[0].handle : null);
  const output = outputs.find((o) => o.handle === handle);
  if (!output) return `Pick which output of ${name(source)} to connect (${outputs.map((o) => o.label).join(', ')})`;
  const existing = doc.edges.find((e) => e.source === source.id && (e.sourceHandle ?? outputs[0].handle) === output.handle);
  if (existing) {
    const to = doc.nodes.find((n) => n.id === existing.target);
    return `The "${output.label}" output of ${name(source)} already leads to ${to ? name(to) : `"${existing.target}"`}; an output leads to one step (delete that connection first)`;
  }
  const loopHasWait = TIME_PASSING_TYPES.has(source.type) || TIME_PASSING_TYPES.has(target.type);
  if (!loopHasWait && reachesWithoutWait(doc, target.id, source.id)) {
    return `This makes a loop from ${name(target)} back to ${name(source)} with no wait in it, so it would repeat instantly: put a Wait or Wait for inside the loop`;
  }
  return null;
}

/** Connects two nodes, or says why not. */
export function connect(doc: PlaybookDocument, c: Connection): { doc: PlaybookDocument; edgeId: string } | { problem: string } {
  const problem = connectionProblem(doc, c);
  if (problem) return { problem };
  const source = doc.nodes.find((n) => n.id === c.source) as PlaybookNode;
  const outputs = nodeOutputs(source);
  const handle = c.sourceHandle ?? outputs[0].handle;
  const e = edge(doc, c.source, handle, c.target);
  return { doc: { ...doc, edges: [...doc.edges, e] }, edgeId: e.id };
}

/** Removes nodes (with every connection to or from them) and connections. */
export function removeElements(doc: PlaybookDocument, nodeIds: readonly string[], edgeIds: readonly string[]): PlaybookDocument {
  if (nodeIds.length === 0 && edgeIds.length === 0) return doc;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

export interface Clipboard {
  nodes: PlaybookNode[];
  edges: PlaybookEdge[];
}

/** The selected nodes and the connections between them. */
export function copyElements(doc: PlaybookDocument, nodeIds: readonly string[]): Clipboard | null {
  const ids = new Set(nodeIds);
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  return plainCopy({ nodes, edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) });
}

/** Pastes a copy with fresh node and edge ids, offset so it does not cover the original. */
export function pasteElements(doc: PlaybookDocument, clip: Clipboard, offset: Point = { x: 40, y: 40 }): { doc: PlaybookDocument; ids: string[] } {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(taken, n.id);
    taken.add(id);
    rename.set(n.id, id);
    return { ...plainCopy(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  let next: PlaybookDocument = { ...doc, nodes: [...doc.nodes, ...nodes] };
  for (const e of clip.edges) {
    const source = rename.get(e.source) as string;
    const target = rename.get(e.target) as string;
    next = { ...next, edges: [...next.edges, { ...edge(next, source, e.sourceHandle ?? 'next', target), sourceHandle: e.sourceHandle ?? null }] };
  }
  return { doc: next, ids: nodes.map((n) => n.id) };
}

/** Moves nodes to new positions (rounded: documents store whole pixels). */
export function moveNodes(doc: PlaybookDocument, positions: Readonly<Record<string, Point>>): PlaybookDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const position = { x: Math.round(p.x), y: Math.round(p.y) };
    if (position.x === n.position.x && position.y === n.position.y) return n;
    changed = true;
    return { ...n, position };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Replaces one node's data. */
export function setNodeData(doc: PlaybookDocument, id: string, data: Record<string, unknown>): PlaybookDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, data } : n)) };
}

/** Where to drop a node so it does not cover another (the next free row below `at`). */
export function freeSpot(doc: PlaybookDocument, at: Point): Point {
  let y = at.y;
  while (doc.nodes.some((n) => Math.abs(n.position.x - at.x) < NODE_WIDTH && Math.abs(n.position.y - y) < NODE_HEIGHT)) y += NODE_HEIGHT;
  return { x: at.x, y };
}
