import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';
import { slaStateSchema } from './sla';

/**
 * The approvals-and-tasks inbox: pending approvals and open tasks in one list, due first.
 * - `mine`: assigned to the signed-in person;
 * - `team`: assigned to the people the signed-in person manages (users.manager_id);
 * - `overdue`: past due, among what the signed-in person may act on (decide or complete);
 * - `all`: everything open (filters still apply).
 * Snoozed items are left out until their snooze ends, unless `includeSnoozed=true`.
 */
export const inboxViewSchema = z.enum(['mine', 'team', 'overdue', 'all']);
export type InboxView = z.infer<typeof inboxViewSchema>;
export const workItemKindSchema = z.enum(['approval', 'task']);
export type WorkItemKind = z.infer<typeof workItemKindSchema>;

/** GET /api/inbox?view=&kind=&accountId=&playbookId=&includeSnoozed=&limit=&cursor= */
export const inboxQuerySchema = z
  .object({
    view: inboxViewSchema.default('mine'),
    kind: workItemKindSchema.optional(),
    accountId: uuidSchema.optional(),
    playbookId: uuidSchema.optional(),
    includeSnoozed: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .default(false),
    ...pageQueryFields,
  })
  .strict();
export type InboxQuery = z.output<typeof inboxQuerySchema>;

const inboxItemFields = {
  id: uuidSchema,
  runId: uuidSchema,
  nodeId: z.string(),
  accountId: uuidSchema,
  accountName: z.string(),
  playbookId: uuidSchema.nullable(),
  playbookName: z.string(),
  version: z.number().int(),
  title: z.string(),
  assigneeId: uuidSchema.nullable(),
  assigneeName: z.string().nullable(),
  dueAt: isoDateTimeSchema.nullable(),
  slaState: slaStateSchema,
  /** Escalation rungs fired (tasks: always 0). */
  escalationLevel: z.number().int(),
  snoozedUntil: isoDateTimeSchema.nullable(),
  commentCount: z.number().int(),
  createdAt: isoDateTimeSchema,
};

export const inboxItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('approval'),
    ...inboxItemFields,
    /** The touch it would send if approved. */
    proposed: z.object({ channel: z.string(), to: z.string(), subject: z.string(), body: z.string() }).nullable(),
  }),
  z.object({
    kind: z.literal('task'),
    ...inboxItemFields,
    ownerSide: z.enum(['ours', 'customer']),
    ownerRole: z.string(),
    completion: z.enum(['person', 'event', 'condition']),
  }),
]);
export type InboxItem = z.infer<typeof inboxItemSchema>;
export const inboxPageSchema = pageSchema(inboxItemSchema);

const commentText = z.string().trim().min(1).max(2_000);

/** POST /api/approvals/:id/reassign and /api/tasks/:id/reassign: hand the item to another of our people. */
export const reassignRequestSchema = z
  .object({
    assigneeId: uuidSchema,
    comment: commentText.optional(),
  })
  .strict();
export type ReassignRequest = z.infer<typeof reassignRequestSchema>;

/**
 * POST /api/approvals/:id/snooze and /api/tasks/:id/snooze: hide the item from inbox views until
 * `until` (in the future, at most 30 days ahead); `null` ends the snooze. The run is not told: its
 * SLA and escalation ladder keep running, even past a snooze that ends after the due date.
 */
export const snoozeRequestSchema = z
  .object({
    until: isoDateTimeSchema.nullable(),
    comment: commentText.optional(),
  })
  .strict();
export type SnoozeRequest = z.infer<typeof snoozeRequestSchema>;

/** POST /api/approvals/:id/comments and /api/tasks/:id/comments */
export const createCommentRequestSchema = z.object({ body: commentText }).strict();
export type CreateCommentRequest = z.infer<typeof createCommentRequestSchema>;

/** What a comment came with: said on its own, or with a decision, completion, reassignment or snooze. */
export const commentKindSchema = z.enum(['comment', 'decision', 'completion', 'reassign', 'snooze']);

export const workItemCommentSchema = z.object({
  id: uuidSchema,
  itemKind: workItemKindSchema,
  itemId: uuidSchema,
  kind: commentKindSchema,
  authorId: uuidSchema,
  authorName: z.string(),
  body: z.string(),
  createdAt: isoDateTimeSchema,
});
export type WorkItemComment = z.infer<typeof workItemCommentSchema>;
export const workItemCommentPageSchema = pageSchema(workItemCommentSchema);

/** GET …/comments?limit=&cursor=: oldest first, as a thread reads. */
export const listCommentsQuerySchema = z.object({ ...pageQueryFields }).strict();
export type ListCommentsQuery = z.output<typeof listCommentsQuerySchema>;

/** The answer to a snooze: the item's snooze, and a reminder that the SLA keeps running. */
export const snoozeResponseSchema = z.object({
  itemKind: workItemKindSchema,
  itemId: uuidSchema,
  snoozedUntil: isoDateTimeSchema.nullable(),
  dueAt: isoDateTimeSchema.nullable(),
  slaState: slaStateSchema,
  /** True when the snooze ends after the due date: it will be overdue (or escalated) before it reappears. */
  endsAfterDue: z.boolean(),
  note: z.string(),
});
export type SnoozeResponse = z.infer<typeof snoozeResponseSchema>;
