import { z } from 'zod';
import { permissionSchema, tokenScopeSchema } from './access';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';
import { emailInputSchema, passwordSchema, userSchema } from './users';

/** POST /api/auth/login */
export const loginRequestSchema = z
  .object({
    email: emailInputSchema,
    // Any string: a wrong password gets the same 401 as an unknown email, never a 400 that tells them apart.
    password: z.string().min(1).max(1_000),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** POST /api/auth/refresh and POST /api/auth/logout: the opaque refresh token the sign-in gave. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(200) }).strict();
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** A signed-in session: a short-lived access token (Authorization: Bearer) and a refresh token that replaces it. */
export const sessionSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  /** Seconds the access token lives (CAIRN_SESSION_TTL). */
  expiresIn: z.number().int(),
  expiresAt: isoDateTimeSchema,
  /** Opaque; each refresh returns a new one and the old one stops working. */
  refreshToken: z.string(),
  refreshExpiresAt: isoDateTimeSchema,
  user: userSchema,
  permissions: z.array(permissionSchema),
});
export type Session = z.infer<typeof sessionSchema>;

/** GET /api/auth/me: who the request is made as. */
export const meSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), user: userSchema, permissions: z.array(permissionSchema) }),
  z.object({ kind: z.literal('token'), token: z.object({ id: uuidSchema, name: z.string(), prefix: z.string() }), permissions: z.array(permissionSchema) }),
]);
export type Me = z.infer<typeof meSchema>;

/** PUT /api/auth/password: the signed-in person changes their own password (their other sessions end). */
export const changePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(1_000),
    newPassword: passwordSchema,
  })
  .strict();
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** An API token as listed (the secret is never shown again after creation). */
export const apiTokenSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  /** The start of the secret, to recognise it: `cairn_pat_AbCd1234`. */
  prefix: z.string(),
  scopes: z.array(tokenScopeSchema),
  createdBy: z.object({ id: uuidSchema, name: z.string() }).nullable(),
  createdAt: isoDateTimeSchema,
  lastUsedAt: isoDateTimeSchema.nullable(),
  expiresAt: isoDateTimeSchema.nullable(),
  revokedAt: isoDateTimeSchema.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

/**
 * `GET /api/tokens`: newest first (created, then id). `status`: `active` (usable now), `revoked`,
 * or `expired` (not revoked, past its expiry).
 */
export const listTokensQuerySchema = z.object({ status: z.enum(['active', 'revoked', 'expired']).optional(), ...pageQueryFields }).strict();
export type ListTokensQuery = z.output<typeof listTokensQuerySchema>;

export const apiTokenPageSchema = pageSchema(apiTokenSchema);
export type ApiTokenPage = z.infer<typeof apiTokenPageSchema>;

/** POST /api/tokens (admin) */
export const createTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z
      .array(tokenScopeSchema)
      .min(1, 'Give the token at least one scope')
      .transform((scopes) => [...new Set(scopes)]),
    /** When it stops working; omit for a token that lives until revoked. */
    expiresAt: isoDateTimeSchema
      .refine((at) => Date.parse(at) > Date.now(), { message: 'The expiry must be in the future' })
      .optional(),
  })
  .strict();
export type CreateTokenRequest = z.infer<typeof createTokenRequestSchema>;

/** POST /api/tokens answer: the only time the secret is shown. */
export const createdTokenSchema = apiTokenSchema.extend({
  /** `cairn_pat_…`: send it as `Authorization: Bearer <token>`. */
  token: z.string(),
});
export type CreatedToken = z.infer<typeof createdTokenSchema>;
