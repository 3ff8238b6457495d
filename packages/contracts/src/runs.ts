import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';
import { sentEmailSchema } from './emails';

export const runStatusSchema = z.enum(['running', 'completed', 'exited', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const stepStatusSchema = z.enum(['started', 'waiting', 'completed']);

/** One entry of a run's history: what fired, when, and why. */
export const runStepSchema = z.object({
  id: uuidSchema,
  nodeId: z.string(),
  nodeType: z.string(),
  status: stepStatusSchema,
  /** 0 the first time the run entered the step; loops count up. */
  visit: z.number().int(),
  /** The output taken when the step completed, e.g. `approved`. */
  outcome: z.string().nullable(),
  /** Why it fired ("renewal_date − 120 days = 2026-12-01", "approved by Casey Morgan"). */
  startedReason: z.string().nullable(),
  /** What came of it ("Email sent to …", "\"Low usage\" taken: metric.seats_active 12 < 20"), or what it waits for. */
  reason: z.string().nullable(),
  startedAt: isoDateTimeSchema,
  completedAt: isoDateTimeSchema.nullable(),
});
export type RunStep = z.infer<typeof runStepSchema>;

/** A step holding the run now, and what it waits for. */
export const liveActiveStepSchema = z.object({
  stepId: z.string(),
  type: z.string(),
  label: z.string(),
  visit: z.number().int(),
  since: z.string(),
  /** In words: "Casey Morgan to approve", "product.sso_configured", "renewal date − 90 days". */
  waitingFor: z.string().nullable(),
  /** When the wait ends on its own (timer, SLA, timeout, due date), if it does. */
  until: z.string().nullable(),
  approvalId: z.string().optional(),
  taskId: z.string().optional(),
});

export const liveDoneStepSchema = z.object({ stepId: z.string(), visit: z.number().int(), outcome: z.string(), reason: z.string(), at: z.string() });

export const milestoneStatusSchema = z.enum(['reached_on_time', 'reached_late', 'missed']);

export const liveMilestoneSchema = z.object({
  stepId: z.string(),
  name: z.string(),
  targetDay: z.number(),
  status: milestoneStatusSchema,
  day: z.number(),
  at: z.string(),
});

/** The run's own answer to "where are you?" (Temporal query `runState`). */
export const runLiveStateSchema = z.object({
  status: z.enum(['running', 'completed', 'exited', 'cancelled']),
  currentStepId: z.string().nullable(),
  pendingApprovalId: z.string().nullable(),
  /** Step ids in the order the run entered them (the most recent 200). */
  path: z.array(z.string()),
  enrolledAt: z.string().nullable(),
  active: z.array(liveActiveStepSchema),
  /** The most recent steps done, with outcome and reason. */
  done: z.array(liveDoneStepSchema),
  milestones: z.array(liveMilestoneSchema),
  /** Executions so far (continue-as-new); null when the run does not say (runs of the first engine). */
  generation: z.number().int().nullable(),
});
export type RunLiveState = z.infer<typeof runLiveStateSchema>;

/** A side effect the run performed other than an email, with why and who approved it. */
export const runActionSchema = z.object({
  id: uuidSchema,
  nodeId: z.string(),
  visit: z.number().int(),
  kind: z.enum(['chat', 'in_app', 'call', 'meeting', 'webhook', 'account_update', 'enroll', 'escalation']),
  /** Who or what it was for: a role, a URL, an attribute, a playbook key. */
  target: z.string(),
  status: z.enum(['pending', 'done', 'failed', 'skipped']),
  detail: z.record(z.string(), z.unknown()),
  approvalId: uuidSchema.nullable(),
  reason: z.string(),
  createdAt: isoDateTimeSchema,
  completedAt: isoDateTimeSchema.nullable(),
});
export type RunAction = z.infer<typeof runActionSchema>;

/** A success milestone the run reached (on time or late) or missed. */
export const runMilestoneSchema = z.object({
  id: uuidSchema,
  nodeId: z.string(),
  visit: z.number().int(),
  name: z.string(),
  targetDay: z.number().int(),
  status: milestoneStatusSchema,
  /** Days since enrollment when the run arrived. */
  day: z.number(),
  reason: z.string(),
  recordedAt: isoDateTimeSchema,
});
export type RunMilestone = z.infer<typeof runMilestoneSchema>;

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
  /** What the run itself says now (its state query); null when it is closed or Temporal did not answer in time. */
  live: runLiveStateSchema.nullable().default(null),
  /** Side effects other than emails: chat, in-app, calls, meetings, webhooks, account updates, enrollments, escalations. */
  actions: z.array(runActionSchema).default([]),
  milestones: z.array(runMilestoneSchema).default([]),
});
export type Run = z.infer<typeof runSchema>;

export const runSummarySchema = runSchema.omit({ steps: true, live: true, actions: true, milestones: true });
export type RunSummary = z.infer<typeof runSummarySchema>;

/** `GET /api/runs`: newest first (by start, then id). `startedAfter` is inclusive, `startedBefore` exclusive. */
export const listRunsQuerySchema = z
  .object({
    accountId: uuidSchema.optional(),
    playbookId: uuidSchema.optional(),
    status: runStatusSchema.optional(),
    startedAfter: isoDateTimeSchema.optional(),
    startedBefore: isoDateTimeSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListRunsQuery = z.output<typeof listRunsQuerySchema>;

export const runSummaryPageSchema = pageSchema(runSummarySchema);
export type RunSummaryPage = z.infer<typeof runSummaryPageSchema>;

/** `GET /api/runs/:id/emails`: in the order they were sent (created, then id). */
export const listRunEmailsQuerySchema = z.object({ ...pageQueryFields }).strict();
export type ListRunEmailsQuery = z.output<typeof listRunEmailsQuerySchema>;

export const sentEmailPageSchema = pageSchema(sentEmailSchema);
export type SentEmailPage = z.infer<typeof sentEmailPageSchema>;

/** POST /api/runs/:id/cancel: a person stops a running run. */
export const cancelRunRequestSchema = z
  .object({
    reason: z.string().trim().min(1, 'Say why the run is cancelled').max(500),
  })
  .strict();
export type CancelRunRequest = z.infer<typeof cancelRunRequestSchema>;
