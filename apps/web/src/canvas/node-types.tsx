import type { NodeData, NodeType } from '@cairn/playbook';
import type { NodeTypes } from '@xyflow/react';
import type { ComponentType } from 'react';
import { StepNode, type StepNodeProps } from './StepNode';

/**
 * What the canvas adds to a node type. Everything else (label, description, category, outputs)
 * is read from the node registry of @cairn/playbook by `toFlow`, never copied here.
 */
interface CanvasNodeType<T extends NodeType> {
  component: ComponentType<StepNodeProps>;
  /** The one line that says what a step of this type does, from its validated data. */
  detail: (data: NodeData<T>) => string;
}

const humanize = (value: string) => value.replaceAll('_', ' ');
const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/**
 * The one place the canvas maps node types to components. Keyed by every `NodeType`: a type added
 * to the registry fails the typecheck until it is given a canvas component and a detail line here.
 */
const canvasNodes: { [T in NodeType]: CanvasNodeType<T> } = {
  trigger: { component: StepNode, detail: (d) => (d.on === 'manual' ? 'Enrolled by a person or the API' : `Enrolled on ${String(d.on)}`) },
  wait: { component: StepNode, detail: (d) => `for ${d.duration}` },
  approval: {
    component: StepNode,
    detail: (d) => [d.title, d.sla ? `SLA ${d.sla}` : null].filter(Boolean).join(' · '),
  },
  touch: { component: StepNode, detail: (d) => `${capitalize(d.channel)} to ${humanize(d.to)}: ${d.subject}` },
  end: { component: StepNode, detail: (d) => (d.outcome === 'exited' ? `Exit${d.reason ? `: ${d.reason}` : ''}` : 'Completed') },
};

/** The React Flow type of a node whose type the registry does not know (e.g. a newer draft). */
export const UNKNOWN_NODE_TYPE = 'unknown';

/** The detail line of a node of a registered type, given data that passed its `dataSchema`. */
export function nodeDetail(type: NodeType, data: unknown): string {
  return (canvasNodes[type].detail as (data: unknown) => string)(data);
}

/** `nodeTypes` for <ReactFlow>: one entry per registered node type, plus the unknown fallback. */
export const flowNodeTypes: NodeTypes = {
  ...Object.fromEntries(Object.entries(canvasNodes).map(([type, { component }]) => [type, component])),
  [UNKNOWN_NODE_TYPE]: StepNode,
};
