import { z } from 'zod';
import { eventMatchSchema } from '../conditions';
import { cronProblem } from '../cron';
import { accountDateFieldSchema, dayOffsetSchema, labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const triggerDataSchema = z.discriminatedUnion('on', [
  /** A person or the API enrolls the account. */
  z.object({ label: labelSchema, on: z.literal('manual') }).strict(),
  /** The account enters or leaves a segment. */
  z.object({ label: labelSchema, on: z.enum(['segment_entered', 'segment_exited']), segment: z.string().min(1) }).strict(),
  /** Something happened: a product event, a CRM change, a support escalation, an NPS answer. */
  z.object({ label: labelSchema, on: z.literal('event'), event: eventMatchSchema }).strict(),
  /** A date on the account comes near, e.g. 120 days before the renewal date. */
  z.object({ label: labelSchema, on: z.literal('account_date'), field: accountDateFieldSchema, offsetDays: dayOffsetSchema }).strict(),
  /** On a schedule, for every account in the audience (e.g. each quarter's QBR). */
  z
    .object({ label: labelSchema, on: z.literal('schedule'), cron: z.string().min(1), timezone: z.string().min(1).default('UTC') })
    .strict()
    .superRefine((d, ctx) => {
      const problem = cronProblem(d.cron);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
    }),
], { error: (issue) => (issue.code === 'invalid_union' ? 'Say how accounts enter: manual, segment_entered, segment_exited, event, account_date or schedule' : undefined) });

export const triggerNode = defineNode({
  type: 'trigger',
  label: 'Trigger',
  description: 'Where the playbook starts: how an account is enrolled.',
  category: 'start',
  dataSchema: triggerDataSchema,
  defaults: { on: 'manual' },
  outputs: () => [NEXT],
});
