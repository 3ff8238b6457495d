import { conditionSchema, durationSchema, internalRoleSchema, recipientSchema, stakeholderRoleSchema } from '@cairn/playbook';
import type { z } from 'zod';

/**
 * The side panel's form, described from a node type's zod `dataSchema` (walking zod 4's `def`),
 * so a field added to a node type shows up in the editor without touching the web app. Schemas the
 * language names (durations, roles, conditions) get their own widgets, found by identity; shapes
 * the walk does not know fall back to a JSON field, never a crash.
 */
export type FieldPath = Array<string | number>;

interface FieldBase {
  key: string;
  label: string;
  /** May be left empty (optional, or the schema has a default). */
  optional: boolean;
}

export type FieldDescriptor =
  | (FieldBase & { kind: 'text'; template: boolean; multiline: boolean; format?: string })
  | (FieldBase & { kind: 'number'; integer: boolean; min?: number; max?: number })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'enum'; options: string[]; role: boolean })
  | (FieldBase & { kind: 'duration' })
  | (FieldBase & { kind: 'condition' })
  /** A string, number, boolean or null, typed into one box. */
  | (FieldBase & { kind: 'scalar' })
  | (FieldBase & { kind: 'object'; fields: FieldDescriptor[] })
  /** A discriminated union: the discriminator picks which fields apply. */
  | (FieldBase & { kind: 'variant'; discriminator: string; options: Array<{ value: string; fields: FieldDescriptor[] }> })
  | (FieldBase & { kind: 'list'; item: FieldDescriptor })
  | (FieldBase & { kind: 'json' });

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  [key: string]: unknown;
}
const defOf = (schema: AnySchema): Def => schema._zod.def as unknown as Def;

/** "offsetDays" → "Offset days", "business_days" → "Business days". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const roleSchemas = new Set<AnySchema>([recipientSchema, stakeholderRoleSchema, internalRoleSchema]);

function enumOptions(schema: AnySchema): string[] | null {
  const def = defOf(schema);
  if (def.type === 'enum') return Object.values(def.entries as Record<string, string>);
  if (def.type === 'literal') return (def.values as unknown[]).map(String);
  if (def.type === 'union') {
    const all = (def.options as AnySchema[]).map(enumOptions);
    return all.every((o): o is string[] => o !== null) ? all.flat() : null;
  }
  return null;
}

interface Context {
  templateKeys: readonly string[];
  depth: number;
}

function describe(key: string, input: AnySchema, ctx: Context, optionalIn = false): FieldDescriptor {
  let schema = input;
  let optional = optionalIn;
  // Unwrap optional / default / nullable: they only say the field may be left out.
  for (;;) {
    const def = defOf(schema);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') {
      optional = true;
      schema = def.innerType as AnySchema;
    } else break;
  }
  const base = { key, label: humanizeKey(key), optional };
  if (schema === durationSchema) return { ...base, kind: 'duration' };
  if (schema === conditionSchema) return { ...base, kind: 'condition' };
  if (roleSchemas.has(schema)) return { ...base, kind: 'enum', options: enumOptions(schema) ?? [], role: true };
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { ...base, kind: 'text', template: ctx.depth === 0 && ctx.templateKeys.includes(key), multiline: key === 'body', format: typeof def.format === 'string' ? def.format : undefined };
    case 'number': {
      const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      return { ...base, kind: 'number', integer: Boolean(n.isInt), min: n.minValue ?? undefined, max: n.maxValue ?? undefined };
    }
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
    case 'literal':
      return { ...base, kind: 'enum', options: enumOptions(schema) ?? [], role: false };
    case 'object':
      return { ...base, kind: 'object', fields: describeShape(def.shape as Record<string, AnySchema>, { ...ctx, depth: ctx.depth + 1 }) };
    case 'array':
      return { ...base, kind: 'list', item: describe('item', def.element as AnySchema, { ...ctx, depth: ctx.depth + 1 }) };
    case 'union': {
      const options = def.options as AnySchema[];
      const discriminator = typeof def.discriminator === 'string' ? def.discriminator : null;
      if (discriminator) return { ...base, kind: 'variant', discriminator, options: variantOptions(options, discriminator, ctx) };
      const kinds = options.map((o) => defOf(o).type);
      if (kinds.every((k) => ['string', 'number', 'boolean', 'null'].includes(k))) return { ...base, kind: 'scalar' };
      const values = enumOptions(schema);
      if (values) return { ...base, kind: 'enum', options: values, role: false };
      return { ...base, kind: 'json' };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

function variantOptions(options: AnySchema[], discriminator: string, ctx: Context): Array<{ value: string; fields: FieldDescriptor[] }> {
  return options.flatMap((option) => {
    const shape = defOf(option).shape as Record<string, AnySchema> | undefined;
    if (!shape?.[discriminator]) return [];
    const rest = Object.fromEntries(Object.entries(shape).filter(([k]) => k !== discriminator));
    const fields = describeShape(rest, ctx);
    return (enumOptions(shape[discriminator]) ?? []).map((value) => ({ value, fields }));
  });
}

function describeShape(shape: Record<string, AnySchema>, ctx: Context): FieldDescriptor[] {
  return Object.entries(shape).map(([key, schema]) => describe(key, schema, ctx));
}

/** The fields of a node type's data, in schema order (`label` first where the schema has it). */
export function describeNodeData(schema: AnySchema, templateKeys: readonly string[] = []): FieldDescriptor {
  return describe('data', schema, { templateKeys, depth: -1 });
}

/** The fields that apply to `value` (for a variant: the option its discriminator names). */
export function activeFields(descriptor: FieldDescriptor, value: unknown): FieldDescriptor[] {
  if (descriptor.kind === 'object') return descriptor.fields;
  if (descriptor.kind === 'variant') {
    const current = (value as Record<string, unknown> | null)?.[descriptor.discriminator];
    return (descriptor.options.find((o) => o.value === current) ?? descriptor.options[0])?.fields ?? [];
  }
  return [];
}

/** A starting value for a new list item or a field being switched on. */
export function initialValue(descriptor: FieldDescriptor, index = 0): unknown {
  switch (descriptor.kind) {
    case 'text':
      return descriptor.key === 'id' ? `case-${index + 1}` : descriptor.key === 'label' ? `Case ${index + 1}` : '';
    case 'number':
      return Math.max(0, descriptor.min ?? 0);
    case 'boolean':
      return false;
    case 'enum':
      return descriptor.options[0] ?? '';
    case 'duration':
      return '1 day';
    case 'condition':
      return { field: 'segment', op: 'eq', value: '' };
    case 'scalar':
      return '';
    case 'object':
      return Object.fromEntries(descriptor.fields.filter((f) => !f.optional).map((f) => [f.key, initialValue(f, index)]));
    case 'variant': {
      const option = descriptor.options[0];
      return { [descriptor.discriminator]: option?.value, ...(initialValue({ ...descriptor, kind: 'object', fields: option?.fields ?? [] }, index) as object) };
    }
    case 'list':
      return [];
    case 'json':
      return null;
  }
}

/** `value` with `path` set to `next` (undefined removes the key); never mutates. */
export function setAt(value: unknown, path: FieldPath, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...value] : [];
    list[head] = setAt(list[head], rest, next);
    return list;
  }
  const object = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  const child = setAt(object[head], rest, next);
  if (child === undefined) delete object[head];
  else object[head] = child;
  return object;
}

/** The value at `path`, or undefined. */
export function getAt(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined), value);
}

/** "nodes[3].data.cases[0].when" → ['cases', 0, 'when'] (the part under the node's data). */
export function dataPathOf(diagnosticPath: string): FieldPath | null {
  const match = /^nodes\[\d+\]\.data\.?(.*)$/.exec(diagnosticPath);
  if (!match) return null;
  const out: FieldPath = [];
  for (const part of match[1].matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(part[2] !== undefined ? Number(part[2]) : part[1]);
  return out;
}

/** Typed into a scalar box: numbers, true/false and null become those; anything else is text. */
export function parseScalar(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return text;
}
