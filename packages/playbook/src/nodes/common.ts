import { z } from 'zod';

/** Every node may carry a label, shown on the canvas instead of its type name. */
export const labelSchema = z.string().trim().max(120).optional();

/** A whole number of days, positive or negative (e.g. −120 = 120 days before). */
export const dayOffsetSchema = z.number().int().min(-3650).max(3650);

/** An account date attribute, such as `renewal_date` or `contract_start_date`. */
export const accountDateFieldSchema = z.string().regex(/^[a-z][a-z0-9_]*_date$/, 'Name an account date such as "renewal_date" or "contract_start_date"');

/** Wall-clock time "HH:MM" in the account's timezone. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write a time as HH:MM, e.g. "18:00"');

/** Output handles named by the designer (branch cases, parallel tracks). */
export const handleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'Use lowercase letters, digits, "-" and "_" (it names an output)')
  .refine((id) => id !== 'otherwise', '"otherwise" is the name of the fallback output');

/** An array of named outputs (branch cases, parallel tracks) whose ids must not repeat: each names an output. */
export function namedOutputsSchema<T extends z.ZodObject<{ id: typeof handleIdSchema }>>(item: T, what: string) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((entry, i) => {
      const id = (entry as { id: string }).id;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Two ${what} are named "${id}"` });
      seen.add(id);
    });
  });
}
