import { z } from 'zod';
import { recipientSchema } from '../recipients';
import { labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

/**
 * email: sent by Cairn · call, meeting: a task for the CSM to hold it · in_app: a message through
 * the product's webhook · chat: a notification to a chat channel (internal roles).
 */
export const touchChannelSchema = z.enum(['email', 'call', 'meeting', 'in_app', 'chat']);

const needsSubject = (channel: string) => channel === 'email' || channel === 'meeting';

/** The same step with another modality for some segments: the appropriate experience. */
export const touchVariantSchema = z
  .object({
    segments: z.array(z.string().min(1)).min(1, 'Name at least one segment'),
    channel: touchChannelSchema,
    to: recipientSchema.optional(),
    subject: z.string().trim().min(1).max(200).optional(),
    body: z.string().trim().min(1).max(20_000).optional(),
  })
  .strict();

export const touchDataSchema = z
  .object({
    label: labelSchema,
    channel: touchChannelSchema,
    to: recipientSchema,
    /** Templated: `{{account.name}}`, `{{recipient.name}}`, `{{csm.name}}`. */
    subject: z.string().trim().min(1).max(200).optional(),
    body: z.string().trim().min(1, 'A touch needs a message (or call notes for the CSM)').max(20_000),
    /** Checked in order; the first whose segments include the account's replaces channel and content. */
    variants: z.array(touchVariantSchema).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (needsSubject(d.channel) && !d.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: `An ${d.channel} needs a subject` });
    d.variants.forEach((v, i) => {
      if (needsSubject(v.channel) && !(v.subject ?? d.subject)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'subject'], message: `An ${v.channel} needs a subject` });
    });
  });
export type TouchData = z.output<typeof touchDataSchema>;

export const touchNode = defineNode({
  type: 'touch',
  label: 'Touch',
  description: 'A customer-facing touch: email, call, meeting, in-app or chat message, by segment.',
  category: 'touch',
  dataSchema: touchDataSchema,
  defaults: { channel: 'email', to: 'champion', subject: 'Welcome to {{account.name}} onboarding', body: 'Hi {{recipient.name}},' },
  outputs: () => [NEXT],
});
