import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';
import { slaStateSchema } from './sla';

export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

export const approvalResolutionSchema = z.enum(['expired', 'auto_approved', 'auto_skipped', 'cancelled']);

export const approvalSchema = z.object({
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
  status: approvalStatusSchema,
  /** What will be sent if approved (the next touch, rendered for this account). */
  proposed: z.object({ channel: z.string(), to: z.string(), subject: z.string(), body: z.string() }).nullable(),
  dueAt: isoDateTimeSchema.nullable(),
  decidedById: uuidSchema.nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: isoDateTimeSchema.nullable(),
  note: z.string().nullable(),
  /** How many escalation steps fired (the manager notified, then handed the approval). */
  escalationLevel: z.number().int().default(0),
  /** How it closed without a person deciding; null while pending or when a person decided. */
  resolution: approvalResolutionSchema.nullable().default(null),
  /** Where it stands against its due date (see sla.ts); null once closed. */
  slaState: slaStateSchema.nullable(),
  /** Hidden from inbox views until then (the SLA keeps running); null when not snoozed. */
  snoozedUntil: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
});
export type Approval = z.infer<typeof approvalSchema>;
export const approvalPageSchema = pageSchema(approvalSchema);

/** GET /api/approvals?status=pending&assigneeId=…&accountId=…&playbookId=…&slaState=…&limit=&cursor= (due first, undated last, then id). */
export const listApprovalsQuerySchema = z
  .object({
    status: approvalStatusSchema.optional(),
    assigneeId: uuidSchema.optional(),
    accountId: uuidSchema.optional(),
    playbookId: uuidSchema.optional(),
    /** Only pending approvals have one: a slaState filter implies status=pending. */
    slaState: slaStateSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListApprovalsQuery = z.output<typeof listApprovalsQuerySchema>;

/** POST /api/approvals/:id/decision; the decider is the signed-in person. */
export const decideApprovalRequestSchema = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    note: z.string().trim().max(2_000).optional(),
    /** Edit-then-approve: the touch goes out with this subject and/or body (only with `approved`). */
    editedTouch: z
      .object({
        subject: z.string().trim().min(1).max(300).optional(),
        body: z.string().trim().min(1).max(20_000).optional(),
      })
      .strict()
      .refine((t) => t.subject !== undefined || t.body !== undefined, { message: 'Give the edited subject, body or both' })
      .optional(),
  })
  .strict()
  .refine((d) => d.editedTouch === undefined || d.decision === 'approved', { path: ['editedTouch'], message: 'Only an approval can edit the touch; a rejection sends nothing' });
export type DecideApprovalRequest = z.infer<typeof decideApprovalRequestSchema>;
