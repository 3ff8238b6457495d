import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, queryBooleanSchema, searchTextSchema, uuidSchema } from './common';

/** Our people's roles; what each may do is in `ROLE_GRANTS` (access.ts). */
export const userRoleSchema = z.enum(['csm', 'cs_manager', 'ops', 'admin', 'viewer']);
export type UserRole = z.infer<typeof userRoleSchema>;

/** One of our people as other answers show them (an account's CSM, the signed-in person). */
export const userSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  email: z.email(),
  role: userRoleSchema,
});
export type User = z.infer<typeof userSchema>;

/** A user as administrators see them (GET /api/users). */
export const managedUserSchema = userSchema.extend({
  managerId: uuidSchema.nullable(),
  active: z.boolean(),
  /** False while the user has no password: they cannot sign in. */
  canSignIn: z.boolean(),
  lastLoginAt: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
});
export type ManagedUser = z.infer<typeof managedUserSchema>;

/** `GET /api/users`: by name (then id); `q` searches the name and the email. */
export const listUsersQuerySchema = z
  .object({
    role: userRoleSchema.optional(),
    active: queryBooleanSchema.optional(),
    managerId: uuidSchema.optional(),
    q: searchTextSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const managedUserPageSchema = pageSchema(managedUserSchema);
export type ManagedUserPage = z.infer<typeof managedUserPageSchema>;

/** A password we accept: long enough to resist guessing; argon2 takes any length, we cap it. */
export const passwordSchema = z.string().min(10, 'Use at least 10 characters').max(200);

const emailInputSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(320));

/** POST /api/users (admin). Without a password the user exists (may own accounts) but cannot sign in. */
export const createUserRequestSchema = z
  .object({
    email: emailInputSchema,
    name: z.string().trim().min(1).max(200),
    role: userRoleSchema,
    managerId: uuidSchema.nullable().optional(),
    password: passwordSchema.optional(),
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/** PATCH /api/users/:id (admin): change name, role, manager; deactivate (signs them out) or reactivate; set a new password. */
export const updateUserRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: userRoleSchema.optional(),
    managerId: uuidSchema.nullable().optional(),
    active: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'Name at least one field to change' });
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

export { emailInputSchema };
