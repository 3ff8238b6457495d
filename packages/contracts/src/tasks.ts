import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';
import { slaStateSchema } from './sla';

export const taskStatusSchema = z.enum(['open', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** How a task gets done: a person marks it, an event arrives, or a condition on the account holds. */
export const taskCompletionSchema = z.enum(['person', 'event', 'condition']);

/** A joint accountability a run opened, for our side or the customer's. */
export const taskSchema = z.object({
  id: uuidSchema,
  runId: uuidSchema,
  nodeId: z.string(),
  accountId: uuidSchema,
  accountName: z.string(),
  playbookId: uuidSchema.nullable(),
  playbookName: z.string(),
  version: z.number().int(),
  title: z.string(),
  ownerSide: z.enum(['ours', 'customer']),
  /** The role that owns it: `csm`, `champion`, `admin`… */
  ownerRole: z.string(),
  /** Our person who owns it (or follows it up, for a customer task). */
  assigneeId: uuidSchema.nullable(),
  assigneeName: z.string().nullable(),
  completion: taskCompletionSchema,
  status: taskStatusSchema,
  dueAt: isoDateTimeSchema,
  /** When the run noticed it was late. */
  overdueAt: isoDateTimeSchema.nullable(),
  completedById: uuidSchema.nullable(),
  completedByName: z.string().nullable(),
  completedAt: isoDateTimeSchema.nullable(),
  note: z.string().nullable(),
  /** Why the run opened it. */
  reason: z.string(),
  /** Where it stands against its due date (see sla.ts); null once closed. */
  slaState: slaStateSchema.nullable(),
  /** Hidden from inbox views until then (the SLA keeps running); null when not snoozed. */
  snoozedUntil: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
});
export type Task = z.infer<typeof taskSchema>;
export const taskPageSchema = pageSchema(taskSchema);

/** GET /api/tasks?status=open&assigneeId=…&accountId=…&playbookId=…&slaState=…&limit=&cursor= (due first, then id). */
export const listTasksQuerySchema = z
  .object({
    status: taskStatusSchema.optional(),
    assigneeId: uuidSchema.optional(),
    accountId: uuidSchema.optional(),
    playbookId: uuidSchema.optional(),
    /** Only open tasks have one: a slaState filter implies status=open. */
    slaState: slaStateSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListTasksQuery = z.output<typeof listTasksQuerySchema>;

/** POST /api/tasks/:id/complete: the signed-in person marks a task done; the run waiting on it moves on. */
export const completeTaskRequestSchema = z
  .object({
    note: z.string().trim().min(1).max(2_000).optional(),
  })
  .strict();
export type CompleteTaskRequest = z.infer<typeof completeTaskRequestSchema>;
