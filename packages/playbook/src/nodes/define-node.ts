import type { z } from 'zod';

/** A named output handle of a node, e.g. an approval's `approved`. */
export interface NodeOutput {
  handle: string;
  label: string;
  /** A required output must be connected before the playbook can be published. */
  required: boolean;
}

/**
 * One registration per node type: the editor's palette and canvas, the compiler and the engine
 * all read this, so nothing about a node type is written twice.
 */
export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  label: string;
  /** One line the editor shows in the palette and inspector. */
  description: string;
  category: 'start' | 'timing' | 'human' | 'touch' | 'flow';
  dataSchema: S;
  defaults: z.input<S>;
  outputs: (data: z.output<S>) => NodeOutput[];
}

export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition<S> {
  return definition;
}

export const NEXT: NodeOutput = { handle: 'next', label: 'Next', required: true };
