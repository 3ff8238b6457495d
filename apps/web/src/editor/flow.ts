import { type Diagnostic, isNodeType, type PlaybookDocument, type PlaybookEdge, type PlaybookNode } from '@cairn/playbook';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { UNKNOWN_NODE_TYPE } from '../canvas/node-types';
import { type StepNodeData, stepNodeData } from '../canvas/to-flow';

/** What an editor node shows: the canvas's step data, and the compiler's findings on it. */
export interface EditorNodeData extends StepNodeData {
  problems: Array<{ severity: Diagnostic['severity']; message: string }>;
}
export type EditorFlowNode = Node<EditorNodeData>;
export type EditorFlowEdge = Edge<{ problems: string[] }>;

/** Diagnostics by the node and edge they concern. */
export interface Findings {
  nodes: Map<string, EditorNodeData['problems']>;
  edges: Map<string, string[]>;
}

export function findingsOf(diagnostics: readonly Diagnostic[]): Findings {
  const nodes = new Map<string, EditorNodeData['problems']>();
  const edges = new Map<string, string[]>();
  for (const d of diagnostics) {
    if (d.edgeId) edges.set(d.edgeId, [...(edges.get(d.edgeId) ?? []), d.message]);
    else if (d.nodeId) nodes.set(d.nodeId, [...(nodes.get(d.nodeId) ?? []), { severity: d.severity, message: d.message }]);
  }
  return { nodes, edges };
}

// The step data of a document node, computed once per node object: documents are immutable, so an
// unchanged node keeps its object and its canvas node, and React Flow re-renders only what changed.
const stepData = new WeakMap<PlaybookNode, StepNodeData>();
const sourceOf = new WeakMap<object, unknown>();
const keyOf = new WeakMap<object, string>();

/** Keeps what a canvas node was derived from when React Flow replaces it (a measure, a drag, a select). */
export function carryOver<T extends object>(previous: readonly T[], next: T[]): T[] {
  const before = new Map(previous.map((n) => [(n as { id?: string }).id, n]));
  for (const n of next) {
    const old = before.get((n as { id?: string }).id);
    if (!old || old === n || !sourceOf.has(old)) continue;
    sourceOf.set(n, sourceOf.get(old));
    const key = keyOf.get(old);
    if (key !== undefined && (n as { selected?: boolean }).selected === (old as { selected?: boolean }).selected) keyOf.set(n, key);
  }
  return next;
}

function stepDataOf(node: PlaybookNode): StepNodeData {
  let data = stepData.get(node);
  if (!data) {
    data = stepNodeData(node);
    stepData.set(node, data);
  }
  return data;
}

/**
 * The canvas nodes for `doc`, reusing each node of `previous` whose document node, findings and
 * selection are unchanged (keeping what React Flow measured and where a drag has it now).
 */
export function syncFlowNodes(previous: readonly EditorFlowNode[], doc: PlaybookDocument, findings: Findings, selected: ReadonlySet<string>): EditorFlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return doc.nodes.map((node) => {
    const problems = findings.nodes.get(node.id) ?? [];
    const key = `${selected.has(node.id)}|${problems.map((p) => p.severity + p.message).join('\n')}`;
    const old = before.get(node.id);
    if (old && sourceOf.get(old) === node && keyOf.get(old) === key) return old;
    const data: EditorNodeData = { ...stepDataOf(node), problems };
    const next: EditorFlowNode = {
      ...(old ?? {}),
      id: node.id,
      type: isNodeType(node.type) ? node.type : UNKNOWN_NODE_TYPE,
      position: node.position,
      data,
      selected: selected.has(node.id),
    };
    sourceOf.set(next, node);
    keyOf.set(next, key);
    return next;
  });
}

/** The canvas edges: labelled with their output when the source has several, marked when a finding concerns them. */
export function syncFlowEdges(previous: readonly EditorFlowEdge[], doc: PlaybookDocument, findings: Findings, selected: ReadonlySet<string>): EditorFlowEdge[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  return doc.edges.map((edge: PlaybookEdge) => {
    const source = nodes.get(edge.source);
    const outputs = source ? stepDataOf(source).outputs : [];
    const handle = edge.sourceHandle ?? outputs[0]?.handle ?? 'next';
    const label = outputs.length > 1 ? (outputs.find((o) => o.handle === handle)?.label ?? handle) : undefined;
    const problems = findings.edges.get(edge.id) ?? [];
    const key = `${selected.has(edge.id)}|${label}|${problems.join('\n')}`;
    const old = before.get(edge.id);
    if (old && sourceOf.get(old) === edge && keyOf.get(old) === key) return old;
    const next: EditorFlowEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: handle,
      label,
      selected: selected.has(edge.id),
      className: [`edge-${handle}`, problems.length ? 'is-invalid' : ''].filter(Boolean).join(' '),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: problems.length ? '#e03131' : '#98a2b3' },
      data: { problems },
      ariaLabel: `Connection from ${edge.source}${label ? ` (${label})` : ''} to ${edge.target}`,
    };
    sourceOf.set(next, edge);
    keyOf.set(next, key);
    return next;
  });
}
