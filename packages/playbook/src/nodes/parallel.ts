import { z } from 'zod';
import { handleIdSchema, labelSchema, namedOutputsSchema } from './common';
import { defineNode, NEXT } from './define-node';

export const parallelDataSchema = z
  .object({
    label: labelSchema,
    /** Tracks that run side by side, e.g. the customer's tasks and ours. */
    tracks: namedOutputsSchema(z.object({ id: handleIdSchema, label: z.string().trim().min(1).max(80) }).strict(), 'tracks').min(2, 'A split has at least two tracks'),
  })
  .strict();

export const parallelNode = defineNode({
  type: 'parallel',
  label: 'Parallel',
  description: 'Split into tracks that run at the same time.',
  category: 'flow',
  dataSchema: parallelDataSchema,
  defaults: { tracks: [{ id: 'customer', label: 'Customer' }, { id: 'ours', label: 'Our team' }] },
  outputs: (data) => data.tracks.map((t) => ({ handle: t.id, label: t.label, required: true })),
});

export const joinDataSchema = z
  .object({
    label: labelSchema,
    /** `all`: continue when every incoming track arrived; `any`: at the first. */
    mode: z.enum(['all', 'any']).default('all'),
  })
  .strict();

export const joinNode = defineNode({
  type: 'join',
  label: 'Join',
  description: 'Wait for all (or any) of the parallel tracks, then continue.',
  category: 'flow',
  dataSchema: joinDataSchema,
  defaults: { mode: 'all' },
  outputs: () => [NEXT],
});
