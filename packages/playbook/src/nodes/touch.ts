import { z } from 'zod';
import { defineNode, NEXT } from './define-node';

/** Who a touch is addressed to: a role in the account's people map, or our own side. */
export const recipientRoleSchema = z.enum(['champion', 'sponsor', 'economic_buyer', 'admin', 'csm']);

export const touchDataSchema = z
  .object({
    label: z.string().trim().max(120).optional(),
    channel: z.literal('email'),
    to: recipientRoleSchema,
    /** Templated: `{{account.name}}`, `{{recipient.name}}`, `{{csm.name}}`. */
    subject: z.string().trim().min(1, 'An email needs a subject').max(200),
    body: z.string().trim().min(1, 'An email needs a body').max(20_000),
  })
  .strict();

export const touchNode = defineNode({
  type: 'touch',
  label: 'Touch',
  description: 'A customer-facing touch: send an email to a stakeholder.',
  category: 'touch',
  dataSchema: touchDataSchema,
  defaults: { channel: 'email', to: 'champion', subject: 'Welcome to {{account.name}} onboarding', body: 'Hi {{recipient.name}},' },
  outputs: () => [NEXT],
});
