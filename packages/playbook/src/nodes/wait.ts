import { z } from 'zod';
import { durationSchema } from '../duration';
import { accountDateFieldSchema, clockTimeSchema, dayOffsetSchema, labelSchema } from './common';
import { defineNode, NEXT } from './define-node';

/** Never fire between these times in the account's timezone; the step waits for `end`. */
export const quietHoursSchema = z.object({ start: clockTimeSchema, end: clockTimeSchema }).strict();

const calendar = {
  /** Count only Monday to Friday (for durations in days). */
  businessDays: z.boolean().default(false),
  quietHours: quietHoursSchema.optional(),
};

export const waitDataSchema = z.discriminatedUnion('mode', [
  /** A fixed time: "3 days", "36h", "P2W". */
  z.object({ label: labelSchema, mode: z.literal('duration'), duration: durationSchema, ...calendar }).strict(),
  /** Until day N since enrollment: the 30/60/90 axis. */
  z.object({ label: labelSchema, mode: z.literal('until_day'), day: z.number().int().min(0).max(3650), ...calendar }).strict(),
  /** Until an account date plus or minus days (e.g. renewal date − 90). */
  z.object({ label: labelSchema, mode: z.literal('until_date'), field: accountDateFieldSchema, offsetDays: dayOffsetSchema, ...calendar }).strict(),
], { error: (issue) => (issue.code === 'invalid_union' ? 'Say what kind of wait this is: duration, until_day or until_date' : undefined) });
export type WaitData = z.output<typeof waitDataSchema>;

export const waitNode = defineNode({
  type: 'wait',
  label: 'Wait',
  description: 'Pause for a time, until day N since enrollment, or until an account date.',
  category: 'timing',
  dataSchema: waitDataSchema,
  defaults: { mode: 'duration', duration: '3 days' },
  outputs: () => [NEXT],
});
