import { z } from 'zod';
import { durationSchema } from '../duration';
import { defineNode } from './define-node';

export const approvalAssigneeSchema = z.discriminatedUnion('kind', [
  /** The CSM who owns the account at the time the approval opens. */
  z.object({ kind: z.literal('account_csm') }).strict(),
  z.object({ kind: z.literal('user'), userId: z.string().min(1) }).strict(),
]);

export const approvalDataSchema = z
  .object({
    label: z.string().trim().max(120).optional(),
    /** What the approver is asked, shown in their inbox. */
    title: z.string().trim().min(1, 'Say what the approver is asked to approve').max(200),
    assignee: approvalAssigneeSchema.default({ kind: 'account_csm' }),
    /** How long the approver has; past it the approval expires. Omit to wait indefinitely. */
    sla: durationSchema.optional(),
  })
  .strict();

export const approvalNode = defineNode({
  type: 'approval',
  label: 'Approval',
  description: 'A human touch: the account’s CSM approves or rejects the next step.',
  category: 'human',
  dataSchema: approvalDataSchema,
  defaults: { title: 'Approve the next touch', assignee: { kind: 'account_csm' } },
  outputs: (data) => [
    { handle: 'approved', label: 'Approved', required: true },
    { handle: 'rejected', label: 'Rejected', required: false },
    { handle: 'expired', label: 'Expired', required: data.sla !== undefined },
  ],
});
