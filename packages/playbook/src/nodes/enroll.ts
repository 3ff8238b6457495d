import { z } from 'zod';
import { labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const enrollDataSchema = z
  .object({
    label: labelSchema,
    /** The key of the playbook to enroll the account in. */
    playbook: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Name a playbook by its key, e.g. "renewal-120"'),
  })
  .strict();

export const enrollNode = defineNode({
  type: 'enroll',
  label: 'Enroll',
  description: 'Enroll the account in another playbook.',
  category: 'flow',
  dataSchema: enrollDataSchema,
  defaults: { playbook: 'renewal-120' },
  outputs: () => [NEXT],
});
