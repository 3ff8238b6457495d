import { z } from 'zod';

/**
 * What a condition can read, written as a path:
 * - `account.<attribute>`      an account attribute (`account.arr`, `account.plan`, `account.region`)
 * - `metric.<name>`            a product or health metric (`metric.weekly_active_users`)
 * - `segment`                  the account's segment key
 * - `role.<stakeholder role>`  whether the people map has someone in that role (`role.champion`)
 * - `step.<node id>.outcome`   the output an earlier step took (`step.approve-kickoff.outcome`)
 * - `milestone.<node id>`      `reached_on_time`, `reached_late` or `pending`
 * - `event.<field>`            a field of the event being matched (event filters only)
 */
export const FIELD_PATTERN = /^(account\.[a-z][a-z0-9_]*|metric\.[a-z][a-z0-9_.]*|segment|role\.[a-z_]+|step\.[A-Za-z0-9_.-]+\.outcome|milestone\.[A-Za-z0-9_.-]+|event\.[A-Za-z0-9_.]+)$/;

export const fieldSchema = z
  .string()
  .regex(FIELD_PATTERN, 'Read `account.<attribute>`, `metric.<name>`, `segment`, `role.<role>`, `step.<id>.outcome`, `milestone.<id>` or `event.<field>`');

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);

/**
 * Comparisons of a date field with today (in the account's timezone), in whole days:
 * `within_next 90` holds from today to 90 days ahead, `within_last 30` from 30 days ago to today,
 * `more_than_days_ago 365` before that, `more_than_days_ahead 120` after that.
 */
export const DATE_OPS = ['within_next', 'within_last', 'more_than_days_ago', 'more_than_days_ahead'] as const;
export type DateOp = (typeof DATE_OPS)[number];
const MAX_DAYS = 3650;
export const isDateOp = (op: string): op is DateOp => (DATE_OPS as readonly string[]).includes(op);

export const comparisonSchema = z
  .object({
    field: fieldSchema,
    op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'exists', 'not_exists', ...DATE_OPS]),
    value: z.union([scalar, z.array(scalar)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const needsValue = c.op !== 'exists' && c.op !== 'not_exists';
    if (needsValue && c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" compares with a value: add one` });
    if ((c.op === 'in' || c.op === 'not_in') && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" takes a list of values` });
    if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && typeof c.value !== 'number') ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" compares numbers` });
    if (isDateOp(c.op) && !(typeof c.value === 'number' && Number.isInteger(c.value) && c.value >= 0 && c.value <= MAX_DAYS)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `"${c.op}" takes a number of days, 0 to ${MAX_DAYS}` });
    }
  });
export type Comparison = z.infer<typeof comparisonSchema>;

export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/** A condition over account data, earlier steps and milestones: comparisons joined by all / any / not. */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    comparisonSchema,
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

/** An event to wait for or start on: its type and, optionally, a condition on its fields. */
export const eventMatchSchema = z
  .object({
    type: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'Event types are dotted names such as "product.sso_configured" or "crm.champion_left"'),
    where: conditionSchema.optional(),
  })
  .strict();
export type EventMatch = z.infer<typeof eventMatchSchema>;

/** Every field path a condition reads, in order. */
export function conditionFields(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionFields);
  if ('any' in condition) return condition.any.flatMap(conditionFields);
  if ('not' in condition) return conditionFields(condition.not);
  return [condition.field];
}
