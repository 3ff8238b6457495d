import { z } from 'zod';
import { uuidSchema } from './common';
import { userSchema } from './users';

export const stakeholderRoleSchema = z.enum(['champion', 'sponsor', 'economic_buyer', 'contract_holder', 'product_owner', 'program_leader', 'admin', 'user']);

export const stakeholderSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  email: z.email(),
  role: stakeholderRoleSchema,
});

export const accountSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  segment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }),
  csm: userSchema.nullable(),
  stakeholders: z.array(stakeholderSchema),
});
export type Account = z.infer<typeof accountSchema>;
