import { z } from 'zod';

export const CURRENT_SCHEMA_VERSION = 1;

const idSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "-", "_" or "." only');

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();

/** A node as React Flow stores it; `data` is checked against the node type's own schema. */
export const playbookNodeSchema = z
  .object({
    id: idSchema,
    type: z.string().min(1),
    position: positionSchema,
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const playbookEdgeSchema = z
  .object({
    id: idSchema,
    source: idSchema,
    target: idSchema,
    /** The named output of the source node; omitted means its only output (`next`). */
    sourceHandle: z.string().min(1).nullish(),
  })
  .strict();

export const playbookKindSchema = z.enum(['onboarding', 'intervention', 'renewal', 'expansion', 'advocacy', 'cadence', 'custom']);

export const playbookDocumentSchema = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    key: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lowercase letters, digits and "-" (e.g. "onboarding-30-60-90")'),
    name: z.string().trim().min(1, 'Give the playbook a name').max(120),
    description: z.string().max(2_000).default(''),
    kind: playbookKindSchema.default('custom'),
    nodes: z.array(playbookNodeSchema).max(10_000),
    edges: z.array(playbookEdgeSchema).max(20_000),
  })
  .strict();

export type PlaybookDocument = z.output<typeof playbookDocumentSchema>;
export type PlaybookDocumentInput = z.input<typeof playbookDocumentSchema>;
export type PlaybookNode = z.output<typeof playbookNodeSchema>;
export type PlaybookEdge = z.output<typeof playbookEdgeSchema>;
