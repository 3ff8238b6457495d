import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, uuidSchema } from './common';

/** The roles of the people map, as the playbook language addresses them (`users` there is `user` here). */
export const stakeholderRoleSchema = z.enum(['champion', 'sponsor', 'economic_buyer', 'contract_holder', 'product_owner', 'program_leader', 'admin', 'user']);
export type StakeholderRole = z.infer<typeof stakeholderRoleSchema>;

/** active: in the people map; left: gone from the customer (kept, with when they left). */
export const stakeholderStatusSchema = z.enum(['active', 'left']);
export type StakeholderStatus = z.infer<typeof stakeholderStatusSchema>;

/** A person on the customer's side, their role in the account's people map, and how to reach them. */
export const stakeholderSchema = z.object({
  id: uuidSchema,
  accountId: uuidSchema,
  name: z.string(),
  email: z.email(),
  role: stakeholderRoleSchema,
  title: z.string().nullable(),
  phone: z.string().nullable(),
  status: stakeholderStatusSchema,
  /** The one a touch to this role goes to first (at most one active primary per role). */
  isPrimary: z.boolean(),
  leftAt: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Stakeholder = z.infer<typeof stakeholderSchema>;

const nameSchema = z.string().trim().min(1).max(200);
/** Stored in lower case: one person per address and account, however it was typed. */
const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(320));
const titleSchema = z.string().trim().min(1).max(200);
const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{2,39}$/, 'A phone number: digits, spaces, ( ) . - and an optional leading +, such as "+1 415 555 0100"');
const reasonSchema = z.string().trim().min(1).max(1_000);

/** `POST /api/accounts/:id/stakeholders`: adds a person to the people map (status active). */
export const createStakeholderRequestSchema = z
  .object({
    name: nameSchema,
    email: emailSchema,
    role: stakeholderRoleSchema,
    title: titleSchema.optional(),
    phone: phoneSchema.optional(),
    /** Makes them the primary of their role; whoever was is no longer (recorded as a change of theirs). */
    isPrimary: z.boolean().optional(),
    reason: reasonSchema.optional(),
  })
  .strict();
export type CreateStakeholderRequest = z.output<typeof createStakeholderRequestSchema>;

/**
 * `PATCH /api/accounts/:id/stakeholders/:sid`: changes what is given. `title` and `phone` take null
 * to clear them; `status` only takes `active` (someone who left coming back; leaving is
 * `POST …/left`). A new role drops the primary mark unless `isPrimary` says otherwise.
 */
export const updateStakeholderRequestSchema = z
  .object({
    name: nameSchema.optional(),
    email: emailSchema.optional(),
    role: stakeholderRoleSchema.optional(),
    title: titleSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
    isPrimary: z.boolean().optional(),
    status: z.literal('active', { message: 'Only "active" (someone back); to record someone leaving, POST …/left with a reason' }).optional(),
    reason: reasonSchema.optional(),
  })
  .strict()
  .refine((body) => [body.name, body.email, body.role, body.title, body.phone, body.isPrimary, body.status].some((value) => value !== undefined), {
    message: 'Nothing to change: give name, email, role, title, phone, isPrimary or status',
  });
export type UpdateStakeholderRequest = z.output<typeof updateStakeholderRequestSchema>;

/** `POST /api/accounts/:id/stakeholders/:sid/left`: they left the customer (a champion or sponsor leaving is an event). */
export const markStakeholderLeftRequestSchema = z
  .object({
    reason: reasonSchema,
    /** When they left; defaults to now. */
    leftAt: isoDateTimeSchema.optional(),
  })
  .strict();
export type MarkStakeholderLeftRequest = z.output<typeof markStakeholderLeftRequestSchema>;

/** `DELETE /api/accounts/:id/stakeholders/:sid` (a person entered by mistake); their history stays. */
export const deleteStakeholderRequestSchema = z
  .object({
    reason: reasonSchema.optional(),
  })
  .strict();
export type DeleteStakeholderRequest = z.output<typeof deleteStakeholderRequestSchema>;

/** `GET /api/accounts/:id/stakeholders?role=&status=&limit=&cursor=`: everyone by default, by name (then id). */
export const listStakeholdersQuerySchema = z
  .object({
    role: stakeholderRoleSchema.optional(),
    status: stakeholderStatusSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListStakeholdersQuery = z.output<typeof listStakeholdersQuerySchema>;

/** Path parameters of one stakeholder's endpoints. */
export const stakeholderParamsSchema = z.object({ id: uuidSchema, sid: uuidSchema }).strict();
export type StakeholderParams = z.output<typeof stakeholderParamsSchema>;

/** `GET …/history?kind=&limit=&cursor=`: newest first (by time, then id). */
export const stakeholderHistoryQuerySchema = z
  .object({
    /** Only changes of this kind. */
    kind: z.enum(['created', 'updated', 'left', 'deleted']).optional(),
    ...pageQueryFields,
  })
  .strict();
export type StakeholderHistoryQuery = z.output<typeof stakeholderHistoryQuerySchema>;

/** What a change row records of a stakeholder: the fields people change, under their API names. */
export const STAKEHOLDER_FIELDS = ['name', 'email', 'role', 'title', 'phone', 'status', 'isPrimary', 'leftAt'] as const;
export type StakeholderField = (typeof STAKEHOLDER_FIELDS)[number];

export const stakeholderFieldsSchema = z.object({
  name: z.string(),
  email: z.string(),
  role: stakeholderRoleSchema,
  title: z.string().nullable(),
  phone: z.string().nullable(),
  status: stakeholderStatusSchema,
  isPrimary: z.boolean(),
  leftAt: isoDateTimeSchema.nullable(),
});
export type StakeholderFields = z.infer<typeof stakeholderFieldsSchema>;

export const stakeholderChangeKindSchema = z.enum(['created', 'updated', 'left', 'deleted']);
export type StakeholderChangeKind = z.infer<typeof stakeholderChangeKindSchema>;

/** One change to the people map, as kept: the fields before and after (only those that changed, for an update). */
export const stakeholderChangeSchema = z.object({
  id: uuidSchema,
  stakeholderId: uuidSchema,
  accountId: uuidSchema,
  kind: stakeholderChangeKindSchema,
  /** null when created. */
  before: stakeholderFieldsSchema.partial().nullable(),
  /** null when deleted. */
  after: stakeholderFieldsSchema.partial().nullable(),
  /** Who made it, from their sign-in: a user's id, `token:<id>` for an API token, `integration:<name>` for Cairn's own (the demo seed). */
  changedBy: z.string(),
  /** The user's or the API token's name. */
  changedByName: z.string().nullable(),
  reason: z.string().nullable(),
  /** The account event the change emitted (a champion or sponsor leaving), if any. */
  eventId: uuidSchema.nullable(),
  at: isoDateTimeSchema,
});
export type StakeholderChange = z.infer<typeof stakeholderChangeSchema>;

export const stakeholderPageSchema = pageSchema(stakeholderSchema);
export type StakeholderPage = z.infer<typeof stakeholderPageSchema>;

export const stakeholderHistoryPageSchema = pageSchema(stakeholderChangeSchema);
export type StakeholderHistoryPage = z.infer<typeof stakeholderHistoryPageSchema>;

// ---------------------------------------------------------------------------------------------
// Rules of the people map: plain functions over data.

/**
 * The event each role's departure emits, as playbooks trigger on it (the `champion-left` template
 * starts on `crm.champion_left`). Only these roles' departures are events.
 */
export const DEPARTURE_EVENT_TYPES = { champion: 'crm.champion_left', sponsor: 'crm.sponsor_left' } as const satisfies Partial<Record<StakeholderRole, string>>;
export type DepartingRole = keyof typeof DEPARTURE_EVENT_TYPES;

/**
 * The fields that differ between two states of a stakeholder, before and after; empty objects
 * when nothing changed.
 */
export function stakeholderDiff(before: StakeholderFields, after: StakeholderFields): { before: Partial<StakeholderFields>; after: Partial<StakeholderFields> } {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const field of STAKEHOLDER_FIELDS) {
    if (before[field] === after[field]) continue;
    was[field] = before[field];
    now[field] = after[field];
  }
  return { before: was as Partial<StakeholderFields>, after: now as Partial<StakeholderFields> };
}

/**
 * Whether a change means a champion or sponsor left the role: they were active in it, and now
 * they have left, hold another role, or are deleted (`after` null). A new person, someone who
 * had left already, or any other role emits nothing. Returns the role and its event type.
 */
export function departureOf(before: Pick<StakeholderFields, 'role' | 'status'> | null, after: Pick<StakeholderFields, 'role' | 'status'> | null): { role: DepartingRole; eventType: string } | null {
  if (!before || before.status !== 'active' || !(before.role in DEPARTURE_EVENT_TYPES)) return null;
  const role = before.role as DepartingRole;
  const stillThere = after !== null && after.status === 'active' && after.role === role;
  return stillThere ? null : { role, eventType: DEPARTURE_EVENT_TYPES[role] };
}
