import { type Comparison, type Condition, segmentRuleSchema } from '@cairn/playbook';
import { useEffect, useState } from 'react';

/** One comparison as the editor holds it: text the person typed, parsed when the rule is built. */
export interface RuleRow {
  field: string;
  op: Comparison['op'];
  value: string;
}

export type Join = 'all' | 'any';

export const OPS: Array<[Comparison['op'], string]> = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['in', 'is one of'],
  ['not_in', 'is none of'],
  ['contains', 'contains'],
  ['exists', 'is set'],
  ['not_exists', 'is not set'],
  ['within_next', 'within the next (days)'],
  ['within_last', 'within the last (days)'],
  ['more_than_days_ago', 'more than days ago'],
  ['more_than_days_ahead', 'more than days ahead'],
];

const NO_VALUE = new Set<Comparison['op']>(['exists', 'not_exists']);
const LIST = new Set<Comparison['op']>(['in', 'not_in']);

/** Text to a value: numbers and true/false as such, lists split on commas, the rest as text. */
export function parseValue(op: Comparison['op'], text: string): Comparison['value'] {
  if (NO_VALUE.has(op)) return undefined;
  const scalar = (t: string): string | number | boolean => {
    const s = t.trim();
    if (s === 'true' || s === 'false') return s === 'true';
    return s !== '' && Number.isFinite(Number(s)) ? Number(s) : s;
  };
  if (LIST.has(op))
    return text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map(scalar);
  return scalar(text);
}

/**
 * The rule the rows make (their comparisons joined by `all` or `any`; one row is the comparison
 * itself), checked with the same schema the API uses; the problems name the row and field.
 */
export function buildRule(join: Join, rows: RuleRow[]): { rule: Condition | null; problems: string[] } {
  if (rows.length === 0) return { rule: null, problems: ['Add a condition'] };
  const comparisons = rows.map((r) => {
    const value = parseValue(r.op, r.value);
    return (value === undefined ? { field: r.field.trim(), op: r.op } : { field: r.field.trim(), op: r.op, value }) as Comparison;
  });
  const rule: Condition = comparisons.length === 1 ? (comparisons[0] as Comparison) : join === 'all' ? { all: comparisons } : { any: comparisons };
  const parsed = segmentRuleSchema.safeParse(rule);
  if (parsed.success) return { rule: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((issue) => {
    const at = comparisons.length === 1 ? 0 : Number(issue.path[1]);
    const field = String(issue.path[comparisons.length === 1 ? 0 : 2] ?? '');
    return `Condition ${Number.isInteger(at) ? at + 1 : 1}${field ? ` (${field})` : ''}: ${issue.message}`;
  });
  return { rule: null, problems: [...new Set(problems)] };
}

/** The rows of a saved rule, when it is one join of comparisons (the editor's shape); null otherwise. */
export function rowsFromRule(rule: Condition | null): { join: Join; rows: RuleRow[] } | null {
  if (!rule) return null;
  const row = (c: Condition): RuleRow | null => ('field' in c ? { field: c.field, op: c.op, value: c.value === undefined ? '' : Array.isArray(c.value) ? c.value.join(', ') : String(c.value) } : null);
  if ('field' in rule) return { join: 'all', rows: [row(rule) as RuleRow] };
  const list = 'all' in rule ? rule.all : 'any' in rule ? rule.any : null;
  if (!list) return null;
  const rows = list.map(row);
  return rows.every((r): r is RuleRow => r !== null) ? { join: 'all' in rule ? 'all' : 'any', rows } : null;
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
