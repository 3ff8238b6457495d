import { z } from 'zod';
import { labelSchema } from './common';
import { defineNode } from './define-node';

export const endDataSchema = z
  .object({
    label: labelSchema,
    outcome: z.enum(['completed', 'exited']).default('completed'),
    reason: z.string().trim().max(200).optional(),
  })
  .strict();

export const endNode = defineNode({
  type: 'end',
  label: 'End',
  description: 'The run ends here, completed or exited with a reason.',
  category: 'flow',
  dataSchema: endDataSchema,
  defaults: { outcome: 'completed' },
  outputs: () => [],
});
