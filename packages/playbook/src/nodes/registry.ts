import type { z } from 'zod';
import { approvalNode } from './approval';
import type { NodeDefinition } from './define-node';
import { endNode } from './end';
import { touchNode } from './touch';
import { triggerNode } from './trigger';
import { waitNode } from './wait';

/** Every node type the language knows, keyed by `type`. Add a node type here and nowhere else. */
export const nodeRegistry = {
  trigger: triggerNode,
  wait: waitNode,
  approval: approvalNode,
  touch: touchNode,
  end: endNode,
} as const satisfies Record<string, NodeDefinition>;

export type NodeType = keyof typeof nodeRegistry;
export type NodeData<T extends NodeType> = z.output<(typeof nodeRegistry)[T]['dataSchema']>;
export const nodeTypes = Object.keys(nodeRegistry) as NodeType[];

export function isNodeType(type: string): type is NodeType {
  return Object.prototype.hasOwnProperty.call(nodeRegistry, type);
}

export function nodeDefinition(type: NodeType): NodeDefinition {
  return nodeRegistry[type] as NodeDefinition;
}
