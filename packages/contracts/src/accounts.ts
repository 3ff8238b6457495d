import { z } from 'zod';
import { uuidSchema } from './common';
import { stakeholderSchema } from './people';
import { userSchema } from './users';

/** An attribute's value: conditions read it as `account.<name>`; `*_date` attributes hold ISO dates. */
export const attributeValueSchema = z.union([z.string().max(2_000), z.number(), z.boolean()]);

export const accountSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  segment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }),
  csm: userSchema.nullable(),
  /** The people map as it is now: everyone active, by name (`GET …/stakeholders?status=left` lists who left). */
  stakeholders: z.array(stakeholderSchema),
  /** IANA timezone: business days and quiet hours are counted in it. */
  timezone: z.string().default('UTC'),
  attributes: z.record(z.string(), attributeValueSchema.nullable()).default({}),
  /** Product and health metrics, read as `metric.<name>`. */
  metrics: z.record(z.string(), z.number()).default({}),
});
export type Account = z.infer<typeof accountSchema>;

/** Attribute and metric names: lower snake case, as conditions name them (`renewal_date`, `weekly_active_users`). */
const SNAKE = /^[a-z][a-z0-9_]*$/;
const MAX_NAME = 64;

/** The canonical IANA name of a timezone (`europe/berlin` → `Europe/Berlin`), or null if Intl does not know it. */
export function canonicalTimezone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function checkNames(record: Record<string, unknown>, ctx: z.RefinementCtx, what: string): void {
  for (const key of Object.keys(record)) {
    if (!SNAKE.test(key) || key.length > MAX_NAME) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${what} names are lower snake case (letters, digits, _), up to ${MAX_NAME} characters, such as "renewal_date"` });
    }
  }
}

/**
 * `PATCH /api/accounts/:id`: merges into the account's profile. An attribute set to null is
 * deleted; attributes not named are left alone; so are metrics. Running playbooks re-read it.
 */
export const updateAccountRequestSchema = z
  .object({
    timezone: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .transform((name, ctx) => {
        const canonical = canonicalTimezone(name);
        if (canonical) return canonical;
        ctx.addIssue({ code: 'custom', message: `"${name}" is not an IANA timezone such as "Europe/Berlin" or "America/New_York"` });
        return z.NEVER;
      })
      .optional(),
    attributes: z
      .record(z.string(), attributeValueSchema.nullable())
      .superRefine((attributes, ctx) => {
        checkNames(attributes, ctx, 'Attribute');
        for (const [key, value] of Object.entries(attributes)) {
          if (key.endsWith('_date') && value !== null && !(typeof value === 'string' && z.iso.date().safeParse(value).success)) {
            ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is a date: give an ISO date such as "2027-03-01" (or null to remove it)` });
          }
        }
      })
      .optional(),
    metrics: z
      .record(z.string(), z.number().finite())
      .superRefine((metrics, ctx) => checkNames(metrics, ctx, 'Metric'))
      .optional(),
  })
  .strict()
  .refine((body) => body.timezone !== undefined || body.attributes !== undefined || body.metrics !== undefined, { message: 'Nothing to change: give timezone, attributes or metrics' });
export type UpdateAccountRequest = z.output<typeof updateAccountRequestSchema>;
