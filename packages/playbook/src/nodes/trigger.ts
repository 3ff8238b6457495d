import { z } from 'zod';
import { defineNode, NEXT } from './define-node';

export const triggerDataSchema = z
  .object({
    label: z.string().trim().max(120).optional(),
    /** How accounts enter the playbook. `manual`: a person or the API enrolls them. */
    on: z.enum(['manual']).default('manual'),
  })
  .strict();

export const triggerNode = defineNode({
  type: 'trigger',
  label: 'Trigger',
  description: 'Where the playbook starts: how an account is enrolled.',
  category: 'start',
  dataSchema: triggerDataSchema,
  defaults: { on: 'manual' },
  outputs: () => [NEXT],
});
