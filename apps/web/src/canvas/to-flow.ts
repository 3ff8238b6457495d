import { isNodeType, type NodeDefinition, nodeDefinition, type PlaybookDocument, type PlaybookNode } from '@cairn/playbook';
import { type Edge, MarkerType, type Node } from '@xyflow/react';
import { canvasPositions } from './layout';
import { nodeDetail, UNKNOWN_NODE_TYPE } from './node-types';

/**
 * What the canvas shows about a run on each step: done, active now (`current`), waiting (for a
 * time, a decision or an event: `details` says until when), or skipped (a branch the run did not
 * take, or a step a finished run never reached).
 */
export type StepState = 'current' | 'done' | 'waiting' | 'skipped' | undefined;

/** A run drawn over the canvas: the state of each step and the output each completed step took. */
export interface RunOverlay {
  states: Record<string, StepState>;
  outcomes: Record<string, string | null>;
  /** A line under the state badge: "until 3 Mar, 09:00", "Casey Morgan to approve". */
  details?: Record<string, string>;
}

export interface StepNodeData extends Record<string, unknown> {
  nodeType: string;
  typeLabel: string;
  description: string;
  category: string;
  title: string;
  detail: string;
  /** Why the step's data does not validate (drafts may be invalid until published). */
  problem: string | null;
  outputs: Array<{ handle: string; label: string }>;
  hasInput: boolean;
  state: StepState;
  /** What the run waits for on this step, and until when. */
  stateDetail?: string;
}

export type StepFlowNode = Node<StepNodeData>;

/**
 * The outputs of a step whose data does not validate (a draft in progress): whatever the registry
 * can still tell from the data, filled in with the type's defaults, so its edges keep their handles.
 */
function draftOutputs(definition: NodeDefinition, raw: Record<string, unknown>): Array<{ handle: string; label: string }> {
  const defaults = definition.dataSchema.safeParse(definition.defaults);
  for (const data of [raw, { ...(defaults.success ? (defaults.data as object) : {}), ...raw }]) {
    try {
      return definition.outputs(data).map(({ handle, label }) => ({ handle, label }));
    } catch {
      // not enough to go on: try the next guess
    }
  }
  return [];
}

/**
 * What the canvas shows of one step: labels, description, category and outputs from the node
 * registry of @cairn/playbook, the detail line when its data validates, else why not.
 */
export function stepNodeData(node: PlaybookNode, state?: StepState, stateDetail?: StepNodeData['stateDetail']): StepNodeData {
  const label = typeof node.data.label === 'string' && node.data.label ? node.data.label : null;
  if (!isNodeType(node.type)) {
    return {
      nodeType: node.type,
      typeLabel: `Unknown (${node.type})`,
      description: 'This node type is not known to this version of Cairn.',
      category: 'flow',
      title: label ?? node.id,
      detail: '',
      problem: `Unknown node type "${node.type}"`,
      outputs: [],
      hasInput: true,
      state,
      stateDetail,
    };
  }
  const definition = nodeDefinition(node.type);
  const parsed = definition.dataSchema.safeParse(node.data);
  return {
    nodeType: node.type,
    typeLabel: definition.label,
    description: definition.description,
    category: definition.category,
    title: label ?? definition.label,
    detail: parsed.success ? nodeDetail(node.type, parsed.data) : '',
    problem: parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid step'),
    outputs: parsed.success ? definition.outputs(parsed.data).map(({ handle, label }) => ({ handle, label })) : draftOutputs(definition, node.data),
    hasInput: definition.category !== 'start',
    state,
    stateDetail,
  };
}

/**
 * Maps a playbook document to React Flow nodes and edges. Labels, descriptions, categories and
 * outputs come from the node registry of @cairn/playbook, so the canvas never copies node metadata.
 */
export function toFlow(doc: PlaybookDocument, run?: RunOverlay): { nodes: StepFlowNode[]; edges: Edge[] } {
  const states = run?.states ?? {};
  const positions = canvasPositions(doc.nodes, doc.edges);
  const nodes = doc.nodes.map((node): StepFlowNode => {
    const data = stepNodeData(node, states[node.id], run?.details?.[node.id]);
    return { id: node.id, position: positions[node.id] ?? node.position, type: isNodeType(node.type) ? node.type : UNKNOWN_NODE_TYPE, data };
  });

  const edges = doc.edges.map((edge): Edge => {
    const handle = edge.sourceHandle ?? 'next';
    const outcome = run?.outcomes[edge.source];
    const reached = states[edge.target] !== undefined && states[edge.target] !== 'skipped';
    const taken = states[edge.source] === 'done' && reached && (outcome == null || outcome === handle);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: handle,
      className: [`edge-${handle}`, taken ? 'is-taken' : ''].filter(Boolean).join(' '),
      markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: taken ? '#2f9e44' : '#98a2b3' },
      animated: taken && (states[edge.target] === 'current' || states[edge.target] === 'waiting'),
    };
  });
  return { nodes, edges };
}
