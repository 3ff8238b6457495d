import { z } from 'zod';
import { filterTextSchema, isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';

export const auditActorTypeSchema = z.enum(['user', 'token', 'system']);

/** One entry of the audit log: who changed or decided what, when, and the values before and after. */
export const auditEntrySchema = z.object({
  id: uuidSchema,
  at: isoDateTimeSchema,
  actor: z.object({
    type: auditActorTypeSchema,
    /** The user or token; null for the system and for a sign-in attempt with an unknown email. */
    id: uuidSchema.nullable(),
    name: z.string(),
  }),
  /** `approval.decided`, `playbook.published`, `auth.login_failed`… */
  action: z.string(),
  entity: z.object({ type: z.string(), id: z.string().nullable() }),
  summary: z.string(),
  changes: z.object({ before: z.unknown().optional(), after: z.unknown().optional() }).nullable(),
  /** The X-Request-Id of the request that made the change. */
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** GET /api/audit?actorId=&actorType=&entityType=&entityId=&action=&from=&to=&limit=&cursor= */
export const listAuditQuerySchema = z
  .object({
    actorId: uuidSchema.optional(),
    actorType: auditActorTypeSchema.optional(),
    entityType: filterTextSchema.optional(),
    entityId: filterTextSchema.optional(),
    /** An action (`approval.decided`) or every action of an entity type (`approval.*`). */
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.([a-z_]+|\*))?$/, 'An action such as "approval.decided", or "approval.*"')
      .optional(),
    /** From this time (inclusive). */
    from: isoDateTimeSchema.optional(),
    /** Until this time (exclusive). */
    to: isoDateTimeSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListAuditQuery = z.output<typeof listAuditQuerySchema>;

/** Newest first; `nextCursor` fetches the older page. */
export const auditPageSchema = pageSchema(auditEntrySchema);
export type AuditPage = z.infer<typeof auditPageSchema>;
