import { objectiveMeasureSchema } from '@cairn/playbook';
import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

const dateSchema = z.iso.date();

export const objectiveSchema = z.object({
  id: uuidSchema,
  title: z.string(),
  description: z.string(),
  /** A condition over the account's data; null when a person judges it. */
  measure: objectiveMeasureSchema.nullable(),
  targetDate: dateSchema.nullable(),
  /** Green or red now, and why (the measure read on the account, or a person's call). */
  status: z.enum(['green', 'red']),
  statusReason: z.string(),
  override: z.object({ status: z.enum(['green', 'red']), note: z.string(), by: z.string() }).nullable(),
  /** The customer agreed to this objective: when, and who on their side. */
  agreement: z.object({ agreedAt: isoDateTimeSchema, stakeholderId: uuidSchema.nullable(), name: z.string() }).nullable(),
});
export type Objective = z.infer<typeof objectiveSchema>;

export const accountabilitySchema = z.object({
  taskId: uuidSchema,
  runId: uuidSchema,
  title: z.string(),
  ownerRole: z.string(),
  status: z.enum(['open', 'done', 'cancelled']),
  dueAt: isoDateTimeSchema,
  overdue: z.boolean(),
  completedAt: isoDateTimeSchema.nullable(),
});

export const successPlanSchema = z.object({
  accountId: uuidSchema,
  /** The strategy in one line. */
  strategy: z.string(),
  updatedAt: isoDateTimeSchema,
  updatedBy: z.string().nullable(),
  objectives: z.array(objectiveSchema),
  /** Joint accountabilities: the tasks runs opened, on our side and on the customer's. */
  accountabilities: z.object({ ours: z.array(accountabilitySchema), customer: z.array(accountabilitySchema) }),
  summary: z.object({ green: z.number().int(), red: z.number().int(), agreed: z.number().int() }),
});
export type SuccessPlan = z.infer<typeof successPlanSchema>;

const titleSchema = z.string().trim().min(1, 'Say what success looks like').max(200);
const descriptionSchema = z.string().trim().max(4_000);

/** PUT /api/accounts/:id/success-plan */
export const updateSuccessPlanRequestSchema = z
  .object({
    // Who changed it is the signed-in person.
    strategy: z.string().trim().max(300, 'Keep the strategy to one line (300 characters)').refine((s) => !/[\r\n]/.test(s), 'Keep the strategy to one line'),
  })
  .strict();
export type UpdateSuccessPlanRequest = z.infer<typeof updateSuccessPlanRequestSchema>;

/** POST /api/accounts/:id/success-plan/objectives */
export const createObjectiveRequestSchema = z
  .object({
    title: titleSchema,
    description: descriptionSchema.default(''),
    measure: objectiveMeasureSchema.nullable().default(null),
    targetDate: dateSchema.nullable().default(null),
  })
  .strict();
export type CreateObjectiveRequest = z.output<typeof createObjectiveRequestSchema>;

/** PATCH …/objectives/:objectiveId: what is given changes; `override: null` hands the status back to the measure. */
export const updateObjectiveRequestSchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema.optional(),
    measure: objectiveMeasureSchema.nullable().optional(),
    targetDate: dateSchema.nullable().optional(),
    /** A person's call on the status (recorded as theirs, the signed-in person's), until handed back with null. */
    override: z.object({ status: z.enum(['green', 'red']), note: z.string().trim().max(500).default('') }).strict().nullable().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'Nothing to change' });
export type UpdateObjectiveRequest = z.output<typeof updateObjectiveRequestSchema>;

/** POST …/objectives/:objectiveId/agreement: the customer agreed, in the person of a stakeholder of the account. */
export const objectiveAgreementRequestSchema = z
  .object({
    stakeholderId: uuidSchema,
    agreedAt: isoDateTimeSchema.optional(),
  })
  .strict();
export type ObjectiveAgreementRequest = z.infer<typeof objectiveAgreementRequestSchema>;

export const objectiveParamsSchema = z.object({ id: uuidSchema, objectiveId: uuidSchema }).strict();
export type ObjectiveParams = z.infer<typeof objectiveParamsSchema>;
