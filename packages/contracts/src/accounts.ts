import { z } from 'zod';
import { filterTextSchema, pageQueryFields, pageSchema, searchTextSchema, uuidSchema } from './common';
import { stakeholderSchema } from './people';
import { userSchema } from './users';

/** An attribute's value: conditions read it as `account.<name>`; `*_date` attributes hold ISO dates. */
export const attributeValueSchema = z.union([z.string().max(2_000), z.number(), z.boolean()]);

/** A health rating: the colour, and a score from 0 to 100 when the rating has one. */
export const accountHealthSchema = z
  .object({
    status: z.enum(['green', 'yellow', 'red']),
    score: z.number().int().min(0).max(100).nullable().default(null),
  })
  .strict();
export type AccountHealth = z.output<typeof accountHealthSchema>;

/** The system an external id comes from: lower snake case (`salesforce`, `hubspot`, `zendesk`). */
export const externalSystemSchema = z
  .string()
  .max(40, 'System names are at most 40 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'System names are lower snake case, such as "salesforce" or "hubspot"');
/** An account's id in another system, as that system writes it (case kept: Salesforce ids are case-sensitive). */
export const externalIdValueSchema = z.string().trim().min(1, 'An external id cannot be blank').max(200);

/**
 * A web domain as stored: lower case, without scheme, path or port (`https://Acme.com/` → `acme.com`);
 * null if it is not one.
 */
export function normalizeDomain(text: string): string | null {
  const bare = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '');
  return bare.length <= 253 && /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/.test(bare) ? bare : null;
}

export const domainSchema = z
  .string()
  .max(300)
  .transform((text, ctx) => {
    const domain = normalizeDomain(text);
    if (domain) return domain;
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a web domain such as "acme.com"` });
    return z.NEVER;
  });

export const accountSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  /** The customer's web domain (a Segment `track` call's groupId may name the account by it). */
  domain: z.string().nullable().default(null),
  /** The account's ids in other systems (CRM, support): `{ "salesforce": "001…", "hubspot": "…" }`. */
  externalIds: z.record(z.string(), z.string()).default({}),
  health: accountHealthSchema.nullable().default(null),
  /** Its own segment: the lowest priority of those it is in. */
  segment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }),
  /** The manual segment it is assigned to (rule segments come on top); null only in answers from before it was shown. */
  assignedSegment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }).nullable().default(null),
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

/**
 * `GET /api/accounts`: by name (then id). `q` searches the name and the external ids; `segmentId`
 * is any segment the account is in now; `health=none` is accounts without a rating; renewal
 * filters read the `renewal_date` attribute: `renewalAfter` on or after, `renewalBefore` strictly before.
 */
export const listAccountsQuerySchema = z
  .object({
    q: searchTextSchema.optional(),
    /** The account's CSM. */
    ownerId: uuidSchema.optional(),
    segmentId: uuidSchema.optional(),
    lifecycleStage: filterTextSchema.optional(),
    health: z.enum(['green', 'yellow', 'red', 'none']).optional(),
    renewalAfter: z.iso.date().optional(),
    renewalBefore: z.iso.date().optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListAccountsQuery = z.output<typeof listAccountsQuerySchema>;

export const accountPageSchema = pageSchema(accountSchema);
export type AccountPage = z.infer<typeof accountPageSchema>;

/** Attribute and metric names: lower snake case, as conditions name them (`renewal_date`, `weekly_active_users`). */
const SNAKE = /^[a-z][a-z0-9_]*$/;
const MAX_NAME = 64;

/** An IANA timezone, stored under its canonical name (`europe/berlin` → `Europe/Berlin`). */
const timezoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((name, ctx) => {
    const canonical = canonicalTimezone(name);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: `"${name}" is not an IANA timezone such as "Europe/Berlin" or "America/New_York"` });
    return z.NEVER;
  });

/**
 * Attribute values by name: the shape only (lower snake case names, scalar values, ISO `*_date`
 * values). Whether each is a field and fits its type is checked against the workspace's field
 * schema (`validateAttributes`) where the fields are known.
 */
const attributesSchema = z.record(z.string(), attributeValueSchema.nullable()).superRefine((attributes, ctx) => {
  checkNames(attributes, ctx, 'Attribute');
  for (const [key, value] of Object.entries(attributes)) {
    if (key.endsWith('_date') && value !== null && !(typeof value === 'string' && z.iso.date().safeParse(value).success)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is a date: give an ISO date such as "2027-03-01" (or null to remove it)` });
    }
  }
});

const metricsSchema = z.record(z.string(), z.number().finite()).superRefine((metrics, ctx) => checkNames(metrics, ctx, 'Metric'));

/** Names already resolved: building an Intl.DateTimeFormat costs ~60 µs, and an import asks 10,000 times. */
const canonicalZones = new Map<string, string | null>();

/** The canonical IANA name of a timezone (`europe/berlin` → `Europe/Berlin`), or null if Intl does not know it. */
export function canonicalTimezone(name: string): string | null {
  const known = canonicalZones.get(name);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    canonical = null;
  }
  // Bounded: the real zones are a few hundred; junk names must not grow it forever.
  if (canonicalZones.size < 2_000) canonicalZones.set(name, canonical);
  return canonical;
}

function checkNames(record: Record<string, unknown>, ctx: z.RefinementCtx, what: string): void {
  for (const key of Object.keys(record)) {
    if (!SNAKE.test(key) || key.length > MAX_NAME) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${what} names are lower snake case (letters, digits, _), up to ${MAX_NAME} characters, such as "renewal_date"` });
    }
  }
}

/**
 * `POST /api/accounts`: a new account. Attributes are checked against the field schema (unknown
 * or ill-typed → 400 naming `body.attributes.<key>`; required fields must be given); an external id
 * or domain another account has is a 409.
 */
export const createAccountRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the account a name').max(200),
    domain: domainSchema.optional(),
    /** The manual segment the account is assigned to, by key (`tech-touch`, `high-touch`); rule segments follow from its data. */
    segmentKey: z.string().trim().min(1).max(100),
    csmId: uuidSchema.nullable().optional(),
    timezone: timezoneSchema.optional(),
    attributes: attributesSchema.optional(),
    metrics: metricsSchema.optional(),
    externalIds: z.record(externalSystemSchema, externalIdValueSchema).optional(),
    health: accountHealthSchema.nullable().optional(),
  })
  .strict();
export type CreateAccountRequest = z.output<typeof createAccountRequestSchema>;

/**
 * `PATCH /api/accounts/:id`: merges into the account's profile. An attribute set to null is
 * deleted; attributes not named are left alone; so are metrics. An external id set to null is
 * removed. Running playbooks re-read it.
 */
export const updateAccountRequestSchema = z
  .object({
    timezone: timezoneSchema.optional(),
    attributes: attributesSchema.optional(),
    metrics: metricsSchema.optional(),
    externalIds: z.record(externalSystemSchema, externalIdValueSchema.nullable()).optional(),
    health: accountHealthSchema.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'Nothing to change: give timezone, attributes, metrics, externalIds or health' });
export type UpdateAccountRequest = z.output<typeof updateAccountRequestSchema>;
