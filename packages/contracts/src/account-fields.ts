import { lifecycleStageSchema } from '@cairn/playbook';
import { z } from 'zod';
import { pageQueryFields, pageSchema, queryBooleanSchema } from './common';

/**
 * The typed schema of account attributes: one definition per attribute key (built-in or the
 * workspace's own), and the pure validator that checks and coerces attribute values against it.
 * PATCH and POST /api/accounts give typed JSON values; a CSV import gives text, which is coerced
 * ("1,200" → 1200, "2027/03/01" → "2027-03-01", "Enterprise" → "enterprise").
 */

export const accountFieldTypeSchema = z.enum(['string', 'number', 'boolean', 'date', 'enum', 'currency']);
export type AccountFieldType = z.infer<typeof accountFieldTypeSchema>;

/** Attribute keys are lower snake case: conditions read them as `account.<key>`. */
const SNAKE = /^[a-z][a-z0-9_]*$/;
export const MAX_FIELD_KEY = 64;
/** The longest string attribute value (and enum option). */
export const MAX_TEXT_VALUE = 2_000;
const MAX_OPTION = 100;

/**
 * Names an attribute may not take: the account's own columns in a CSV import, and what conditions
 * read as `account.name` (a `name` attribute would never be seen).
 */
export const RESERVED_FIELD_KEYS = ['id', 'name', 'domain', 'segment', 'segment_key', 'csm', 'csm_email', 'timezone', 'health', 'health_score', 'external_ids', 'metrics', 'attributes'] as const;

/** The engine's `update_account` step writes these stages: the built-in `lifecycle_stage` keeps them all. */
export const LIFECYCLE_STAGES: readonly string[] = lifecycleStageSchema.options;

/** The built-in fields every workspace starts with (the migration seeds them). */
export const BUILT_IN_FIELD_KEYS = ['arr', 'plan', 'seats', 'industry', 'region', 'start_date', 'renewal_date', 'lifecycle_stage'] as const;

export const accountFieldKeySchema = z
  .string()
  .max(MAX_FIELD_KEY, `Field keys are at most ${MAX_FIELD_KEY} characters`)
  .regex(SNAKE, 'Field keys are lower snake case (letters, digits, _), such as "renewal_date"')
  .refine((key) => !(RESERVED_FIELD_KEYS as readonly string[]).includes(key), { message: `This name is the account's own (reserved: ${RESERVED_FIELD_KEYS.join(', ')})` });

export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 currency code such as "USD" or "EUR"');

export const accountFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  type: accountFieldTypeSchema,
  /** The allowed values of an `enum` field, in order; empty for other types. */
  options: z.array(z.string()),
  /** The ISO 4217 code of a `currency` field's amounts; null for other types. */
  currency: z.string().nullable(),
  /** Every account must have a value. */
  required: z.boolean(),
  /** Seeded with Cairn (arr, plan, …): its type is fixed, and it cannot be removed. */
  builtIn: z.boolean(),
  position: z.number().int(),
});
export type AccountField = z.infer<typeof accountFieldSchema>;

/** `GET /api/account-fields`: in position order (then key); a small list, paged like every other. */
export const listAccountFieldsQuerySchema = z.object({ type: accountFieldTypeSchema.optional(), builtIn: queryBooleanSchema.optional(), ...pageQueryFields }).strict();
export type ListAccountFieldsQuery = z.output<typeof listAccountFieldsQuerySchema>;

export const accountFieldPageSchema = pageSchema(accountFieldSchema);
export type AccountFieldPage = z.infer<typeof accountFieldPageSchema>;

/** What the validator needs to know of a field. */
export type AccountFieldRule = Pick<AccountField, 'key' | 'type' | 'options' | 'currency' | 'required'>;

const labelSchema = z.string().trim().min(1, 'Give the field a label').max(100);
const optionsSchema = z.array(z.string().trim().min(1, 'An option cannot be blank').max(MAX_OPTION)).min(1, 'An enum field lists at least one option').max(200);

/** `POST /api/account-fields`: a field of the workspace's own. */
export const createAccountFieldRequestSchema = z
  .object({
    key: accountFieldKeySchema,
    label: labelSchema,
    description: z.string().max(500).optional(),
    type: accountFieldTypeSchema,
    options: optionsSchema.optional(),
    currency: currencyCodeSchema.optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const issue of definitionProblems({ key: body.key, type: body.type, options: body.options ?? [], currency: body.currency ?? null, optionsGiven: body.options !== undefined, currencyGiven: body.currency !== undefined })) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });
export type CreateAccountFieldRequest = z.output<typeof createAccountFieldRequestSchema>;

/** `PATCH /api/account-fields/:key`: what is given changes; a type change must fit the values stored. */
export const updateAccountFieldRequestSchema = z
  .object({
    label: labelSchema.optional(),
    description: z.string().max(500).optional(),
    type: accountFieldTypeSchema.optional(),
    options: optionsSchema.optional(),
    currency: currencyCodeSchema.optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change: give label, description, type, options, currency or required' });
export type UpdateAccountFieldRequest = z.output<typeof updateAccountFieldRequestSchema>;

export const accountFieldParamsSchema = z.object({ key: z.string().max(MAX_FIELD_KEY).regex(SNAKE, 'Field keys are lower snake case') }).strict();

export interface DefinitionIssue {
  path: Array<string | number>;
  message: string;
}

/** The rules a field definition keeps, whoever made it: options only for enums, dates named `*_date`. */
function definitionProblems(field: { key: string; type: AccountFieldType; options: readonly string[]; currency: string | null; optionsGiven: boolean; currencyGiven: boolean }): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (field.type === 'enum') {
    if (field.options.length === 0) issues.push({ path: ['options'], message: 'An enum field lists its options' });
    const seen = new Map<string, number>();
    field.options.forEach((option, i) => {
      const folded = foldOption(option);
      if (seen.has(folded)) issues.push({ path: ['options', i], message: `"${option}" is listed twice (options are matched without regard to case)` });
      seen.set(folded, i);
    });
  } else if (field.optionsGiven) {
    issues.push({ path: ['options'], message: `Only an enum field has options; this one is a ${field.type}` });
  }
  if (field.type !== 'currency' && field.currencyGiven) issues.push({ path: ['currency'], message: `Only a currency field has a currency; this one is a ${field.type}` });
  // Playbooks find account dates by their suffix (waits on `renewal_date`, `within_next` on `*_date`).
  if (field.type === 'date' && !field.key.endsWith('_date')) issues.push({ path: ['type'], message: `A date field's key ends in "_date" (playbooks find dates by it): "${field.key}" cannot be a date` });
  if (field.type !== 'date' && field.key.endsWith('_date')) issues.push({ path: ['type'], message: `"${field.key}" ends in "_date", so it is a date (playbooks read it as one)` });
  return issues;
}

/**
 * A field as a PATCH would leave it, or what is wrong with the change (paths name the body's
 * fields). A built-in field keeps its type; `lifecycle_stage` keeps every stage the engine writes.
 */
export function mergeAccountField(existing: AccountField, change: UpdateAccountFieldRequest): { ok: true; field: AccountField } | { ok: false; issues: DefinitionIssue[] } {
  const type = change.type ?? existing.type;
  const issues: DefinitionIssue[] = [];
  if (existing.builtIn && type !== existing.type) issues.push({ path: ['type'], message: `"${existing.key}" is built in: its type stays ${existing.type}` });
  const options = type === 'enum' ? (change.options ?? existing.options) : [];
  const currency = type === 'currency' ? (change.currency ?? existing.currency ?? 'USD') : null;
  issues.push(...definitionProblems({ key: existing.key, type, options, currency, optionsGiven: change.options !== undefined, currencyGiven: change.currency !== undefined }));
  if (existing.key === 'lifecycle_stage') {
    const missing = LIFECYCLE_STAGES.filter((stage) => !options.includes(stage));
    if (missing.length) issues.push({ path: ['options'], message: `Playbooks set these lifecycle stages, so they stay options: ${missing.join(', ')}` });
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    field: { ...existing, label: change.label ?? existing.label, description: change.description ?? existing.description, type, options: [...options], currency, required: change.required ?? existing.required },
  };
}

/** A new field's full definition (a currency field without a code is in USD). */
export function newAccountField(body: CreateAccountFieldRequest, position: number): AccountField {
  return {
    key: body.key,
    label: body.label,
    description: body.description ?? '',
    type: body.type,
    options: body.type === 'enum' ? [...(body.options ?? [])] : [],
    currency: body.type === 'currency' ? (body.currency ?? 'USD') : null,
    required: body.required ?? false,
    builtIn: false,
    position,
  };
}

// ---------------------------------------------------------------------------------------------
// Values

export type AttributeScalar = string | number | boolean;
export type Coerced = { ok: true; value: AttributeScalar } | { ok: false; message: string };

/** Where a value comes from: typed JSON (strict), or a CSV cell's text (coerced). */
export type ValueSource = 'json' | 'text';

const fail = (message: string): Coerced => ({ ok: false, message });
const quote = (value: unknown) => (typeof value === 'string' ? `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"` : JSON.stringify(value));

/** Options are matched ignoring case, spaces and dashes ("Value realized" is `value_realized`). */
function foldOption(option: string): string {
  return option.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** A real calendar day as yyyy-mm-dd, or null. */
function calendarDate(year: string, month: string, day: string): string | null {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** yyyy-mm-dd, or an ISO timestamp (its date, as written), or yyyy/mm/dd. */
const TEXT_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
/** Digits, optionally grouped in thousands with commas, optionally with decimals. */
const TEXT_NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

const CURRENCY_SYMBOLS: Record<string, readonly string[]> = {
  $: ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN'],
  '€': ['EUR'],
  '£': ['GBP'],
  '¥': ['JPY', 'CNY'],
};

function textNumber(text: string): number | null {
  if (!TEXT_NUMBER.test(text)) return null;
  const value = Number(text.replace(/,/g, ''));
  return Number.isFinite(value) ? value : null;
}

/** "$186,000", "186000 USD", "-€1,200.50", "1200": an amount, if its currency (when written) is the field's. */
function textAmount(field: AccountFieldRule, text: string): Coerced {
  const code = field.currency ?? 'USD';
  const notAmount = fail(`${quote(text)} is not an amount: give a number such as 186000 or "$186,000.50" (in ${code})`);
  const m = /^(-)?\s*([$€£¥])?\s*(-)?\s*([A-Za-z]{3})?\s*(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]{3})?$/.exec(text);
  if (!m) return notAmount;
  const [, minusBefore, symbol, minusAfter, codeBefore, digits, codeAfter] = m;
  const amount = textNumber(digits);
  if (amount === null || (minusBefore && minusAfter) || (codeBefore && codeAfter)) return notAmount;
  const written = (codeBefore ?? codeAfter)?.toUpperCase();
  const symbolCodes = symbol ? (CURRENCY_SYMBOLS[symbol] ?? []) : [];
  if (symbol && written && !symbolCodes.includes(written)) return fail(`${quote(text)} mixes ${symbol} and ${written}`);
  if ((symbol && !symbolCodes.includes(code)) || (written && written !== code)) return fail(`${field.key} is in ${code}; ${quote(text)} is not`);
  return { ok: true, value: minusBefore || minusAfter ? -amount : amount };
}

/**
 * One value checked against its field. JSON values must already have the field's type (a date as
 * yyyy-mm-dd, an enum value as one of its options, exactly); text is coerced.
 */
export function coerceAttribute(field: AccountFieldRule, raw: unknown, source: ValueSource): Coerced {
  if (source === 'text') {
    if (typeof raw !== 'string') return fail(`Expected text, got ${quote(raw)}`);
    const text = raw.trim();
    if (text === '') return fail('Empty');
    switch (field.type) {
      case 'string':
        return text.length > MAX_TEXT_VALUE ? fail(`Longer than ${MAX_TEXT_VALUE.toLocaleString('en-US')} characters`) : { ok: true, value: text };
      case 'number': {
        const value = textNumber(text);
        return value === null ? fail(`${quote(text)} is not a number: give digits such as 1200, 1,200 or 12.5`) : { ok: true, value };
      }
      case 'currency':
        return textAmount(field, text);
      case 'boolean': {
        const folded = text.toLowerCase();
        if (['true', 'yes', 'y', '1'].includes(folded)) return { ok: true, value: true };
        if (['false', 'no', 'n', '0'].includes(folded)) return { ok: true, value: false };
        return fail(`${quote(text)} is not true or false (also yes/no, y/n, 1/0)`);
      }
      case 'date': {
        const m = TEXT_DATE.exec(text);
        const date = m ? calendarDate(m[1], m[2], m[3]) : null;
        if (date) return { ok: true, value: date };
        return fail(m ? `${quote(text)} is not a day of the calendar` : `${quote(text)} is not a date we can read without guessing: write it as yyyy-mm-dd, such as 2027-03-01`);
      }
      case 'enum':
        return enumValue(field, text, true);
    }
  }
  switch (field.type) {
    case 'string':
      if (typeof raw !== 'string') return fail(`${field.key} is text: give a string, not ${quote(raw)}`);
      if (raw.trim() === '') return fail(`${field.key} cannot be blank: give a value, or null to remove it`);
      return raw.length > MAX_TEXT_VALUE ? fail(`Longer than ${MAX_TEXT_VALUE.toLocaleString('en-US')} characters`) : { ok: true, value: raw };
    case 'number':
    case 'currency':
      return typeof raw === 'number' && Number.isFinite(raw) ? { ok: true, value: raw } : fail(`${field.key} is a ${field.type === 'currency' ? `${field.currency ?? 'USD'} amount` : 'number'}: give a number, not ${quote(raw)}`);
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : fail(`${field.key} is true or false, not ${quote(raw)}`);
    case 'date': {
      const m = typeof raw === 'string' ? ISO_DATE.exec(raw) : null;
      const date = m ? calendarDate(m[1], m[2], m[3]) : null;
      return date ? { ok: true, value: date } : fail(`${field.key} is a date: give an ISO date such as "2027-03-01", not ${quote(raw)}`);
    }
    case 'enum':
      return typeof raw === 'string' ? enumValue(field, raw, false) : fail(`${field.key} is one of ${field.options.join(', ')}, not ${quote(raw)}`);
  }
}

function enumValue(field: AccountFieldRule, value: string, loose: boolean): Coerced {
  if (field.options.includes(value)) return { ok: true, value };
  const folded = foldOption(value);
  const match = field.options.find((option) => foldOption(option) === folded);
  if (match && loose) return { ok: true, value: match };
  const hint = match ? ` (did you mean "${match}"?)` : '';
  return fail(`${quote(value)} is not an option of ${field.key}${hint}: give one of ${field.options.join(', ')}`);
}

export interface AttributeIssue {
  key: string;
  message: string;
}

/**
 * Checks an attributes object against the schema: each key must be a field, each value must fit
 * it (coerced from text for CSV). A JSON `null` removes the attribute, which a required field
 * refuses. The result holds the coerced values (null kept for removals) and one issue per key.
 */
export function validateAttributes(
  fields: readonly AccountFieldRule[],
  input: Readonly<Record<string, unknown>>,
  source: ValueSource,
): { value: Record<string, AttributeScalar | null>; issues: AttributeIssue[] } {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const value: Record<string, AttributeScalar | null> = {};
  const issues: AttributeIssue[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    if (!field) {
      issues.push({ key, message: unknownFieldMessage(key, fields) });
      continue;
    }
    if (raw === null && source === 'json') {
      if (field.required) issues.push({ key, message: `${key} is required: it can change, not be removed` });
      else value[key] = null;
      continue;
    }
    const coerced = coerceAttribute(field, raw, source);
    if (coerced.ok) value[key] = coerced.value;
    else issues.push({ key, message: coerced.message });
  }
  return { value, issues };
}

/** "Unknown attribute": names it, and where to define it. */
export function unknownFieldMessage(key: string, fields: readonly Pick<AccountFieldRule, 'key'>[]): string {
  const known = fields.map((f) => f.key);
  const listed = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
  return `"${key}" is not an account field (add it with POST /api/account-fields; fields: ${listed})`;
}

/** The required fields an account's attributes lack (absent or null). */
export function missingRequired(fields: readonly AccountFieldRule[], attributes: Readonly<Record<string, unknown>>): string[] {
  return fields.filter((f) => f.required && (attributes[f.key] === undefined || attributes[f.key] === null)).map((f) => f.key);
}

/**
 * A stored value under a changed field definition: kept as it is when it fits, converted when its
 * text reads as the new type (40 → "40", "40" → 40, "yes" → true), else refused with the reason.
 */
export function fitStoredValue(field: AccountFieldRule, stored: unknown): Coerced {
  if (typeof stored !== 'string' && typeof stored !== 'number' && typeof stored !== 'boolean') return fail(`${quote(stored)} is not a value an attribute holds`);
  const asJson = coerceAttribute(field, stored, 'json');
  if (asJson.ok) return asJson;
  const asText = coerceAttribute(field, String(stored), 'text');
  return asText.ok ? asText : fail(asText.message.startsWith('"') ? asText.message : `${quote(stored)}: ${asText.message}`);
}
