import { z } from 'zod';
import { durationMs, durationSchema } from '../duration';
import { labelSchema } from './common';
import { defineNode } from './define-node';

export const approvalAssigneeSchema = z.discriminatedUnion('kind', [
  /** The CSM who owns the account at the time the approval opens. */
  z.object({ kind: z.literal('account_csm') }).strict(),
  z.object({ kind: z.literal('role'), role: z.enum(['cs_manager', 'executive_sponsor']) }).strict(),
  z.object({ kind: z.literal('user'), userId: z.string().min(1) }).strict(),
]);

/** What happens when nobody decides: reminders and reassignment first, then a final outcome. */
export const escalationStepSchema = z
  .object({
    after: durationSchema,
    action: z.enum(['notify_manager', 'reassign_to_manager', 'auto_approve', 'auto_skip', 'expire']),
  })
  .strict();

const FINAL = new Set(['auto_approve', 'auto_skip', 'expire']);

export const approvalDataSchema = z
  .object({
    label: labelSchema,
    /** What the approver is asked, shown in their inbox (templated). */
    title: z.string().trim().min(1, 'Say what the approver is asked to approve').max(200),
    assignee: approvalAssigneeSchema.default({ kind: 'account_csm' }),
    /** How long the approver has; past it the approval expires. */
    sla: durationSchema.optional(),
    escalation: z.array(escalationStepSchema).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    let previous = 0;
    d.escalation.forEach((step, i) => {
      const ms = durationMs(step.after);
      if (ms <= previous) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'after'], message: 'Each escalation step comes later than the one before' });
      if (FINAL.has(step.action) && i !== d.escalation.length - 1) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'action'], message: `"${step.action}" ends the approval, so it must be the last step` });
      previous = ms;
    });
    if (d.sla && d.escalation.some((s) => FINAL.has(s.action))) ctx.addIssue({ code: 'custom', path: ['sla'], message: 'Use either an SLA or a final escalation step, not both' });
  });
export type ApprovalData = z.output<typeof approvalDataSchema>;

/**
 * When and how an approval ends if nobody decides: its SLA expires it, or the escalation ladder's
 * final step expires, approves or skips it. Null when it waits for a person indefinitely.
 * The timeline, the simulator and the output rules all read this one answer.
 */
export function approvalDeadline(data: ApprovalData): { after: string; handle: 'expired' | 'approved' | 'rejected'; reason: string } | null {
  if (data.sla) return { after: data.sla, handle: 'expired', reason: `No decision within ${data.sla}` };
  const final = data.escalation.find((s) => FINAL.has(s.action));
  if (!final) return null;
  if (final.action === 'expire') return { after: final.after, handle: 'expired', reason: `No decision within ${final.after}` };
  const approved = final.action === 'auto_approve';
  return { after: final.after, handle: approved ? 'approved' : 'rejected', reason: `${approved ? 'Approved' : 'Skipped'} automatically after ${final.after}` };
}

/** True when the approval can end without a decision (its `expired` output can be taken). */
export function approvalCanExpire(data: ApprovalData): boolean {
  return approvalDeadline(data)?.handle === 'expired';
}

export const approvalNode = defineNode({
  type: 'approval',
  label: 'Approval',
  description: 'A human touch: the CSM approves, edits or rejects the next step, with an SLA and escalation.',
  category: 'human',
  dataSchema: approvalDataSchema,
  defaults: { title: 'Approve the next touch', assignee: { kind: 'account_csm' } },
  outputs: (data) => [
    { handle: 'approved', label: 'Approved', required: true },
    { handle: 'rejected', label: 'Rejected', required: false },
    { handle: 'expired', label: 'Expired', required: approvalCanExpire(data) },
  ],
});
