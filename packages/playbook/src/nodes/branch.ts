import { z } from 'zod';
import { conditionSchema } from '../conditions';
import { handleIdSchema, labelSchema, namedOutputsSchema } from './common';
import { defineNode } from './define-node';

export const branchCaseSchema = z.object({ id: handleIdSchema, label: z.string().trim().min(1).max(80), when: conditionSchema }).strict();

export const branchDataSchema = z
  .object({
    label: labelSchema,
    /** Checked in order; the first that holds is taken, else `otherwise`. */
    cases: namedOutputsSchema(branchCaseSchema, 'cases').min(1, 'A branch needs at least one case'),
  })
  .strict();

export const branchNode = defineNode({
  type: 'branch',
  label: 'Branch',
  description: 'Go one way or another on account data, segment, people map or earlier outcomes.',
  category: 'flow',
  dataSchema: branchDataSchema,
  defaults: { cases: [{ id: 'high-touch', label: 'High touch', when: { field: 'segment', op: 'eq', value: 'high-touch' } }] },
  outputs: (data) => [
    ...data.cases.map((c) => ({ handle: c.id, label: c.label, required: true })),
    { handle: 'otherwise', label: 'Otherwise', required: true },
  ],
});
