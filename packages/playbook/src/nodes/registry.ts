import type { z } from 'zod';
import { approvalNode } from './approval';
import { branchNode } from './branch';
import type { NodeDefinition } from './define-node';
import { endNode } from './end';
import { enrollNode } from './enroll';
import { milestoneNode } from './milestone';
import { joinNode, parallelNode } from './parallel';
import { taskNode } from './task';
import { touchNode } from './touch';
import { triggerNode } from './trigger';
import { updateAccountNode } from './update-account';
import { waitNode } from './wait';
import { waitForNode } from './wait-for';
import { webhookNode } from './webhook';

/** Every node type the language knows, keyed by `type`. Add a node type here and nowhere else. */
export const nodeRegistry = {
  trigger: triggerNode,
  wait: waitNode,
  wait_for: waitForNode,
  branch: branchNode,
  touch: touchNode,
  task: taskNode,
  approval: approvalNode,
  milestone: milestoneNode,
  update_account: updateAccountNode,
  webhook: webhookNode,
  parallel: parallelNode,
  join: joinNode,
  enroll: enrollNode,
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
