import { z } from 'zod';
import { conditionSchema } from '../conditions';
import { labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const milestoneDataSchema = z
  .object({
    label: labelSchema,
    /** A success milestone: "Kickoff held", "First value", "Adoption". */
    name: z.string().trim().min(1, 'Name the milestone').max(120),
    /** Day since enrollment it should be reached by; reaching it later records it late. */
    targetDay: z.number().int().min(0).max(3650),
    /** When it counts as reached; without criteria, arriving here reaches it. */
    criteria: conditionSchema.optional(),
  })
  .strict();

export const milestoneNode = defineNode({
  type: 'milestone',
  label: 'Milestone',
  description: 'A success milestone with a target day; reaching it records on time or late.',
  category: 'flow',
  dataSchema: milestoneDataSchema,
  defaults: { name: 'First value', targetDay: 30 },
  outputs: () => [NEXT],
});
