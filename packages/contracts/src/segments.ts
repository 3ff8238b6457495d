import { segmentRuleSchema, touchModelSchema } from '@cairn/playbook';
import { z } from 'zod';
import { isoDateTimeSchema, pageQueryFields, pageSchema, queryBooleanSchema, searchTextSchema, uuidSchema } from './common';

/** Segment keys are what playbooks name (audience, segment triggers): lower kebab case. */
export const segmentKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'A segment key is lower case letters, digits and dashes, such as "high-touch", 2 to 63 characters');

export const segmentSchema = z.object({
  id: uuidSchema,
  key: z.string(),
  name: z.string(),
  description: z.string(),
  /** The appropriate experience its accounts get: tech, low, mid or high touch. */
  touchModel: touchModelSchema,
  /** Lower wins: an account in several segments takes the one with the lowest priority as its own. */
  priority: z.number().int(),
  /** `rule`: members are the accounts the rule matches now; `manual`: accounts are assigned to it. */
  kind: z.enum(['rule', 'manual']),
  rule: segmentRuleSchema.nullable(),
  memberCount: z.number().int(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  archivedAt: isoDateTimeSchema.nullable(),
});
export type Segment = z.infer<typeof segmentSchema>;

const nameSchema = z.string().trim().min(1, 'Give the segment a name').max(120);
const descriptionSchema = z.string().trim().max(2_000);
const prioritySchema = z.number().int().min(0).max(10_000);

/** `POST /api/segments`. Without a rule the segment is manual. */
export const createSegmentRequestSchema = z
  .object({
    key: segmentKeySchema,
    name: nameSchema,
    description: descriptionSchema.default(''),
    touchModel: touchModelSchema,
    priority: prioritySchema.default(100),
    rule: segmentRuleSchema.nullable().default(null),
  })
  .strict();
export type CreateSegmentRequest = z.output<typeof createSegmentRequestSchema>;

/** `PATCH /api/segments/:id`: what is given changes; the key never does (playbooks name it). */
export const updateSegmentRequestSchema = z
  .object({
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    touchModel: touchModelSchema.optional(),
    priority: prioritySchema.optional(),
    rule: segmentRuleSchema.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'Nothing to change: give name, description, touchModel, priority or rule' });
export type UpdateSegmentRequest = z.output<typeof updateSegmentRequestSchema>;

/** `GET /api/segments`: by priority (then id); archived ones only with `includeArchived=true`; `q` searches the name and the key. */
export const listSegmentsQuerySchema = z
  .object({
    includeArchived: queryBooleanSchema.default(false),
    kind: z.enum(['rule', 'manual']).optional(),
    touchModel: touchModelSchema.optional(),
    q: searchTextSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListSegmentsQuery = z.output<typeof listSegmentsQuerySchema>;

export const segmentPageSchema = pageSchema(segmentSchema);
export type SegmentPage = z.infer<typeof segmentPageSchema>;

/** `POST /api/segments/preview`: who a rule would match now, before it is saved. */
export const previewSegmentRequestSchema = z
  .object({
    rule: segmentRuleSchema,
    /** How many matching accounts to list (all are counted). */
    limit: z.number().int().min(1).max(200).default(25),
  })
  .strict();
export type PreviewSegmentRequest = z.output<typeof previewSegmentRequestSchema>;

export const ruleCheckSchema = z.object({ condition: z.string(), holds: z.boolean() });

export const segmentPreviewSchema = z.object({
  /** Accounts looked at. */
  total: z.number().int(),
  matching: z.number().int(),
  /** The first matching accounts by name, each with every comparison of the rule and whether it holds. */
  accounts: z.array(z.object({ accountId: uuidSchema, name: z.string(), segment: z.string(), checks: z.array(ruleCheckSchema) })),
  /** Accounts just short of it: those failing exactly one comparison, with the checks showing which. */
  nearMisses: z.array(z.object({ accountId: uuidSchema, name: z.string(), segment: z.string(), checks: z.array(ruleCheckSchema) })),
});
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;

/** `GET /api/segments/:id/members`: the accounts in it now, by name (then id). */
export const listSegmentMembersQuerySchema = z.object({ ...pageQueryFields }).strict();
export type ListSegmentMembersQuery = z.output<typeof listSegmentMembersQuerySchema>;

export const segmentMemberSchema = z.object({ accountId: uuidSchema, name: z.string(), enteredAt: isoDateTimeSchema, reason: z.string() });
export const segmentMemberPageSchema = pageSchema(segmentMemberSchema);
export type SegmentMemberPage = z.infer<typeof segmentMemberPageSchema>;

/** `PUT /api/accounts/:id/segment`'s answer: its own segment (the lowest priority of those it is in), and the manual one it is assigned to. */
export const accountSegmentsSchema = z.object({
  segment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }),
  assignedSegment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }),
});
export type AccountSegments = z.infer<typeof accountSegmentsSchema>;

/** One stay of an account in a segment: when and why it entered, and left (null while it is in). */
export const segmentMembershipSchema = z.object({
  id: uuidSchema,
  segmentId: uuidSchema,
  key: z.string(),
  name: z.string(),
  enteredAt: isoDateTimeSchema,
  enteredReason: z.string(),
  exitedAt: isoDateTimeSchema.nullable(),
  exitedReason: z.string().nullable(),
});
export type SegmentMembership = z.infer<typeof segmentMembershipSchema>;

/** `GET /api/accounts/:id/segments`: every membership the account had, newest entry first (then id); `current=true` only those it is in now. */
export const listAccountSegmentsQuerySchema = z.object({ current: queryBooleanSchema.optional(), ...pageQueryFields }).strict();
export type ListAccountSegmentsQuery = z.output<typeof listAccountSegmentsQuerySchema>;

export const segmentMembershipPageSchema = pageSchema(segmentMembershipSchema);
export type SegmentMembershipPage = z.infer<typeof segmentMembershipPageSchema>;

/** `PUT /api/accounts/:id/segment`: assign the account to a manual segment. */
export const assignSegmentRequestSchema = z.object({ segmentKey: segmentKeySchema }).strict();
export type AssignSegmentRequest = z.output<typeof assignSegmentRequestSchema>;
