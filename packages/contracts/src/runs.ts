import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

export const runStatusSchema = z.enum(['running', 'completed', 'exited', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const stepStatusSchema = z.enum(['started', 'waiting', 'completed']);

/** One entry of a run's history: what fired, when, and why. */
export const runStepSchema = z.object({
  id: uuidSchema,
  nodeId: z.string(),
  nodeType: z.string(),
  status: stepStatusSchema,
  /** The output taken when the step completed, e.g. `approved`. */
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
  startedAt: isoDateTimeSchema,
  completedAt: isoDateTimeSchema.nullable(),
});
export type RunStep = z.infer<typeof runStepSchema>;

export const runSchema = z.object({
  id: uuidSchema,
  workflowId: z.string(),
  playbookId: uuidSchema,
  playbookKey: z.string(),
  playbookName: z.string(),
  playbookVersionId: uuidSchema,
  version: z.number().int(),
  planHash: z.string(),
  accountId: uuidSchema,
  accountName: z.string(),
  status: runStatusSchema,
  currentNodeId: z.string().nullable(),
  enrolledBy: z.string().nullable(),
  reason: z.string().nullable(),
  startedAt: isoDateTimeSchema,
  endedAt: isoDateTimeSchema.nullable(),
  steps: z.array(runStepSchema),
});
export type Run = z.infer<typeof runSchema>;

export const runSummarySchema = runSchema.omit({ steps: true });
export type RunSummary = z.infer<typeof runSummarySchema>;

/** POST /api/runs/:id/cancel: a person stops a running run. */
export const cancelRunRequestSchema = z
  .object({
    /** The user cancelling; until sign-in exists, the client names them explicitly. */
    cancelledById: uuidSchema,
    reason: z.string().trim().min(1, 'Say why the run is cancelled').max(500),
  })
  .strict();
export type CancelRunRequest = z.infer<typeof cancelRunRequestSchema>;
