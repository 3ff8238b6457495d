import { z } from 'zod';
import { conditionSchema, eventMatchSchema } from '../conditions';
import { internalRoleSchema, stakeholderRoleSchema } from '../recipients';
import { labelSchema } from './common';
import { defineNode } from './define-node';

export const taskOwnerSchema = z.discriminatedUnion('side', [
  z.object({ side: z.literal('ours'), role: internalRoleSchema }).strict(),
  z.object({ side: z.literal('customer'), role: stakeholderRoleSchema }).strict(),
]);

export const taskDataSchema = z
  .object({
    label: labelSchema,
    title: z.string().trim().min(1, 'Say what has to be done').max(200),
    /** Joint accountability: a task for our side or the customer's. */
    owner: taskOwnerSchema,
    due: z.object({ days: z.number().int().min(0).max(3650), from: z.enum(['enrollment', 'step']).default('step') }).strict(),
    completion: z.discriminatedUnion('by', [
      z.object({ by: z.literal('person') }).strict(),
      z.object({ by: z.literal('event'), event: eventMatchSchema }).strict(),
      z.object({ by: z.literal('condition'), condition: conditionSchema }).strict(),
    ]),
  })
  .strict();

export const taskNode = defineNode({
  type: 'task',
  label: 'Task',
  description: 'A joint accountability: a task for our side or the customer’s, with a due day.',
  category: 'human',
  dataSchema: taskDataSchema,
  defaults: { title: 'Configure SSO', owner: { side: 'customer', role: 'admin' }, due: { days: 14, from: 'enrollment' }, completion: { by: 'person' } },
  outputs: () => [
    { handle: 'done', label: 'Done', required: true },
    { handle: 'overdue', label: 'Overdue', required: false },
  ],
});
