import type { PlaybookDiffResponse } from '@cairn/contracts';
import { isNodeType, type PlaybookDocument, type PlaybookEdge, type PlaybookNode } from '@cairn/playbook';
import { type Edge, MarkerType } from '@xyflow/react';
import { UNKNOWN_NODE_TYPE } from '../canvas/node-types';
import { type StepFlowNode, stepNodeData, toFlow } from '../canvas/to-flow';

/** How a step or connection differs on the canvas of the later side of a diff. */
export type DiffMark = 'added' | 'changed' | 'moved' | 'removed';

export interface DiffHighlights {
  /** Steps of the later side that are new, changed (what, in words) or only moved. */
  nodes: Record<string, { mark: Exclude<DiffMark, 'removed'>; changes: string[] }>;
  /** Connections of the later side that are new, by where they lead (source, output, target). */
  addedEdges: Set<string>;
  /** Steps and connections only the earlier side has: drawn as ghosts where they were. */
  ghosts: PlaybookNode[];
  ghostEdges: PlaybookEdge[];
  /** The playbook's own fields that changed (name, audience, settings…), in words. */
  document: string[];
}

/** Where a connection leads: the same key on both sides is the same connection, whatever its id. */
export const edgeKey = (e: Pick<PlaybookEdge, 'source' | 'sourceHandle' | 'target'>) => `${e.source}|${e.sourceHandle ?? 'next'}|${e.target}`;

const MAX_VALUE = 60;

/** A value as it reads in a change: JSON, cut short; nothing reads "(none)". */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** One field change in words: "duration: "3 days" → "2 days"" (the `data.` prefix dropped). */
export function describeChange(change: { path: string; before?: unknown; after?: unknown }): string {
  return `${change.path.replace(/^data\./, '')}: ${formatValue(change.before)} → ${formatValue(change.after)}`;
}

/** The diff answer turned into what the canvas marks on each step and connection. */
export function diffHighlights(diff: PlaybookDiffResponse): DiffHighlights {
  const nodes: DiffHighlights['nodes'] = {};
  for (const n of diff.nodes.added) nodes[n.id] = { mark: 'added', changes: [] };
  for (const c of diff.nodes.changed) {
    if (c.changes.length) nodes[c.id] = { mark: 'changed', changes: c.changes.map(describeChange) };
    else if (c.moved) nodes[c.id] = { mark: 'moved', changes: [] };
  }
  return {
    nodes,
    addedEdges: new Set(diff.edges.added.map(edgeKey)),
    ghosts: diff.nodes.removed,
    ghostEdges: diff.edges.removed,
    document: diff.document.map(describeChange),
  };
}

/** A side of a diff as the panel names it: "v3", "the draft". */
export const sideName = (side: number | 'draft') => (side === 'draft' ? 'the draft' : `v${side}`);

/** The diff in one line: "v1 → the draft: steps 1 added, 2 changed, 1 removed; connections 2 added". */
export function diffSummary(diff: PlaybookDiffResponse): string {
  const counts = (pairs: Array<[number, string]>) =>
    pairs
      .filter(([n]) => n > 0)
      .map(([n, word]) => `${n} ${word}`)
      .join(', ');
  const steps = counts([
    [diff.nodes.added.length, 'added'],
    [diff.nodes.changed.filter((c) => c.changes.length).length, 'changed'],
    [diff.nodes.removed.length, 'removed'],
    [diff.nodes.changed.filter((c) => !c.changes.length && c.moved).length, 'moved'],
  ]);
  const edges = counts([
    [diff.edges.added.length, 'added'],
    [diff.edges.removed.length, 'removed'],
  ]);
  const what = [steps && `steps ${steps}`, edges && `connections ${edges}`].filter(Boolean).join('; ') || 'no step or connection changed';
  return `${sideName(diff.from)} → ${sideName(diff.to)}: ${what}${diff.sameBehaviour ? ' (runs would behave the same)' : ''}`;
}

/** A step or connection on the diff canvas: React Flow's, with the mark as its class. */
export interface DiffFlow {
  nodes: Array<StepFlowNode & { className?: string }>;
  edges: Edge[];
}

/**
 * The later side's canvas with the diff on it: each step and connection classed `diff-added`,
 * `diff-changed` (what changed on hover and under its title) or `diff-moved`; removed steps and
 * connections added as ghosts (`diff-removed`, ids prefixed `removed:`) where they were.
 */
export function diffFlow(doc: PlaybookDocument, h: DiffHighlights): DiffFlow {
  const flow = toFlow(doc);
  const nodes: DiffFlow['nodes'] = flow.nodes.map((n) => {
    const mark = h.nodes[n.id];
    if (!mark) return n;
    const note = mark.mark === 'added' ? 'Added' : mark.mark === 'moved' ? 'Moved' : `Changed: ${mark.changes.join('; ')}`;
    return { ...n, className: `diff-${mark.mark}`, data: { ...n.data, stateDetail: note, description: mark.changes.length ? mark.changes.join('\n') : n.data.description } };
  });
  const here = new Set(doc.nodes.map((n) => n.id));
  for (const ghost of h.ghosts) {
    nodes.push({
      id: `removed:${ghost.id}`,
      position: ghost.position,
      type: isNodeType(ghost.type) ? ghost.type : UNKNOWN_NODE_TYPE,
      className: 'diff-removed',
      data: { ...stepNodeData(ghost), stateDetail: 'Removed' },
    });
  }
  const ghostId = (id: string) => (here.has(id) ? id : `removed:${id}`);
  const ghostIds = new Set(h.ghosts.map((g) => g.id));
  const edges: Edge[] = flow.edges.map((e) => {
    const added = h.addedEdges.has(edgeKey({ source: e.source, sourceHandle: e.sourceHandle, target: e.target }));
    return added ? { ...e, className: `${e.className ?? ''} diff-added`.trim(), markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#2f9e44' } } : e;
  });
  for (const e of h.ghostEdges) {
    // A removed connection is drawn when both its ends are on the canvas (kept, or ghosts).
    if (!(here.has(e.source) || ghostIds.has(e.source)) || !(here.has(e.target) || ghostIds.has(e.target))) continue;
    edges.push({
      id: `removed:${e.id}`,
      source: ghostId(e.source),
      target: ghostId(e.target),
      sourceHandle: e.sourceHandle ?? 'next',
      className: 'diff-removed',
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: '#e03131' },
    });
  }
  return { nodes, edges };
}
