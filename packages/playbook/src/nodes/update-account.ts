import { z } from 'zod';
import { labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const lifecycleStageSchema = z.enum(['onboarding', 'adopting', 'value_realized', 'expanding', 'renewing', 'at_risk', 'churned']);

export const updateAccountDataSchema = z.discriminatedUnion('set', [
  z
    .object({
      label: labelSchema,
      set: z.literal('attribute'),
      attribute: z.string().regex(/^[a-z][a-z0-9_]*$/, 'Attributes are snake_case names such as "health_score"'),
      value: z.union([z.string(), z.number().finite(), z.boolean(), z.null()]),
    })
    .strict(),
  z.object({ label: labelSchema, set: z.literal('lifecycle_stage'), stage: lifecycleStageSchema }).strict(),
]);

export const updateAccountNode = defineNode({
  type: 'update_account',
  label: 'Update account',
  description: 'Set an account attribute or its lifecycle stage.',
  category: 'flow',
  dataSchema: updateAccountDataSchema,
  defaults: { set: 'lifecycle_stage', stage: 'adopting' },
  outputs: () => [NEXT],
});
