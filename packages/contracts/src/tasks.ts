import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

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
  playbookName: z.string(),
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
  createdAt: isoDateTimeSchema,
});
export type Task = z.infer<typeof taskSchema>;

/** GET /api/tasks?status=open&assigneeId=…&accountId=… */
export const listTasksQuerySchema = z
  .object({
    status: taskStatusSchema.optional(),
    assigneeId: uuidSchema.optional(),
    accountId: uuidSchema.optional(),
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
