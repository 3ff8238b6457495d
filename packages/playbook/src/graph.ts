import type { NodeOutput } from './nodes/define-node';
import type { NodeType } from './nodes/registry';

/** A node whose data passed its type's schema, as the compiler's later passes see it. */
export interface CheckedNode {
  index: number;
  id: string;
  type: NodeType;
  label: string;
  data: Record<string, unknown>;
  outputs: NodeOutput[];
}

/** Source node id → output handle → target node id. */
export type Wiring = Map<string, Map<string, string>>;

/** Node types during which time passes; every loop must contain one. */
export const TIME_PASSING_TYPES: ReadonlySet<string> = new Set(['wait', 'wait_for']);
