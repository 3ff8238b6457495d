import { z } from 'zod';
import { durationSchema } from '../duration';
import { defineNode, NEXT } from './define-node';

export const waitDataSchema = z
  .object({
    label: z.string().trim().max(120).optional(),
    /** How long to wait, e.g. "3 days" or "P3D". */
    duration: durationSchema,
  })
  .strict();

export const waitNode = defineNode({
  type: 'wait',
  label: 'Wait',
  description: 'Pause the playbook for a fixed time before the next step.',
  category: 'timing',
  dataSchema: waitDataSchema,
  defaults: { duration: '3 days' },
  outputs: () => [NEXT],
});
