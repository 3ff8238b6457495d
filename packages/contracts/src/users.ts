import { z } from 'zod';
import { uuidSchema } from './common';

export const userRoleSchema = z.enum(['csm', 'cs_manager', 'ops', 'admin']);

export const userSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  email: z.email(),
  role: userRoleSchema,
});
export type User = z.infer<typeof userSchema>;
