import { z } from 'zod';
import { conditionSchema, eventMatchSchema } from './conditions';
import { durationSchema } from './duration';

/** Bumped when the document format changes; `migrations.ts` lifts older documents forward. */
export const CURRENT_SCHEMA_VERSION = 2;

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

/** Whether an account may enter the playbook again after a run of it. */
export const reentryPolicySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('once') }).strict(),
  z.object({ policy: z.literal('every_time') }).strict(),
  z.object({ policy: z.literal('at_most'), times: z.number().int().min(1).max(1000) }).strict(),
  z.object({ policy: z.literal('once_per'), period: durationSchema }).strict(),
]);

/** Ends a run from any step: the account churned, the goal was reached… */
export const exitCriterionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'Use lowercase letters, digits, "-" and "_"'),
    label: z.string().trim().min(1).max(120),
    when: z.discriminatedUnion('on', [
      z.object({ on: z.literal('event'), event: eventMatchSchema }).strict(),
      z.object({ on: z.literal('condition'), condition: conditionSchema }).strict(),
    ]),
    outcome: z.enum(['completed', 'exited']).default('exited'),
  })
  .strict();

export const playbookSettingsSchema = z
  .object({
    reentry: reentryPolicySchema.default({ policy: 'once' }),
    exitWhen: z.array(exitCriterionSchema).default([]),
  })
  .strict();

/** Which accounts the playbook is for; no segments means every account. */
export const audienceSchema = z.object({ segments: z.array(z.string().min(1)).default([]) }).strict();

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
    audience: audienceSchema.default({ segments: [] }),
    settings: playbookSettingsSchema.default({ reentry: { policy: 'once' }, exitWhen: [] }),
    nodes: z.array(playbookNodeSchema).max(10_000),
    edges: z.array(playbookEdgeSchema).max(20_000),
  })
  .strict();

export type PlaybookDocument = z.output<typeof playbookDocumentSchema>;
export type PlaybookDocumentInput = z.input<typeof playbookDocumentSchema>;
export type PlaybookNode = z.output<typeof playbookNodeSchema>;
export type PlaybookEdge = z.output<typeof playbookEdgeSchema>;
export type PlaybookSettings = z.output<typeof playbookSettingsSchema>;
export type ExitCriterion = z.output<typeof exitCriterionSchema>;
