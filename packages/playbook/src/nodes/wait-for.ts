import { z } from 'zod';
import { conditionSchema, eventMatchSchema } from '../conditions';
import { durationSchema } from '../duration';
import { labelSchema } from './common';
import { defineNode } from './define-node';

export const waitForDataSchema = z.discriminatedUnion('for', [
  /** An event, e.g. `product.sso_configured`, optionally with a condition on its fields. */
  z.object({ label: labelSchema, for: z.literal('event'), event: eventMatchSchema, timeout: durationSchema }).strict(),
  /** A condition over account data, e.g. `metric.weekly_active_users gte 10`. */
  z.object({ label: labelSchema, for: z.literal('condition'), condition: conditionSchema, timeout: durationSchema }).strict(),
], { error: (issue) => (issue.code === 'invalid_union' ? 'Say what to wait for: event or condition' : undefined) });

export const waitForNode = defineNode({
  type: 'wait_for',
  label: 'Wait for',
  description: 'Wait until an event happens or a condition holds, or give up after a timeout.',
  category: 'timing',
  dataSchema: waitForDataSchema,
  defaults: { for: 'event', event: { type: 'product.sso_configured' }, timeout: '14 days' },
  outputs: () => [
    { handle: 'received', label: 'Received', required: true },
    { handle: 'timed_out', label: 'Timed out', required: true },
  ],
});
