import { ACCOUNT_FACT_KEYS, type Comparison, type Condition, DATE_OPS, stakeholderRoleSchema } from '@cairn/playbook';

/**
 * The condition builder's model: rows of field / op / value joined by "all" (and) or "any" (or).
 * Conditions deeper than that (nested groups, `not` around a group) are edited as JSON instead.
 */
export interface ConditionRows {
  join: 'all' | 'any';
  rows: Comparison[];
}

export function toRows(condition: unknown): ConditionRows | null {
  if (!condition || typeof condition !== 'object') return { join: 'all', rows: [] };
  const c = condition as Condition;
  const isComparison = (x: unknown): x is Comparison => typeof x === 'object' && x !== null && 'field' in x;
  if (isComparison(c)) return { join: 'all', rows: [c] };
  if ('all' in c && Array.isArray(c.all) && c.all.every(isComparison)) return { join: 'all', rows: c.all };
  if ('any' in c && Array.isArray(c.any) && c.any.every(isComparison)) return { join: 'any', rows: c.any };
  return null;
}

/** One row is the comparison itself; several are joined. */
export function fromRows({ join, rows }: ConditionRows): Condition | undefined {
  if (rows.length === 0) return undefined;
  if (rows.length === 1) return rows[0];
  return join === 'all' ? { all: rows } : { any: rows };
}

export const OPERATORS: Array<{ op: Comparison['op']; label: string; value: 'none' | 'scalar' | 'list' | 'number' | 'days' }> = [
  { op: 'eq', label: 'is', value: 'scalar' },
  { op: 'neq', label: 'is not', value: 'scalar' },
  { op: 'gt', label: '>', value: 'number' },
  { op: 'gte', label: '≥', value: 'number' },
  { op: 'lt', label: '<', value: 'number' },
  { op: 'lte', label: '≤', value: 'number' },
  { op: 'in', label: 'is one of', value: 'list' },
  { op: 'not_in', label: 'is none of', value: 'list' },
  { op: 'contains', label: 'contains', value: 'scalar' },
  { op: 'exists', label: 'is set', value: 'none' },
  { op: 'not_exists', label: 'is not set', value: 'none' },
  ...DATE_OPS.map((op) => ({ op, label: `${op.replaceAll('_', ' ')} (days)`, value: 'days' as const })),
];

/** The value a row gets when its operator changes, keeping what still fits. */
export function valueForOp(op: Comparison['op'], previous: Comparison['value']): Comparison['value'] {
  const kind = OPERATORS.find((o) => o.op === op)?.value ?? 'scalar';
  if (kind === 'none') return undefined;
  if (kind === 'list') return Array.isArray(previous) ? previous : previous === undefined || previous === '' ? [] : [previous as string];
  if (kind === 'number' || kind === 'days') return typeof previous === 'number' ? previous : 0;
  return Array.isArray(previous) ? (previous[0] ?? '') : (previous ?? '');
}

/** Fields a condition can read, offered as suggestions (any path the language accepts may be typed). */
export function fieldSuggestions(accountAttributes: readonly string[], stepIds: readonly string[] = [], milestoneIds: readonly string[] = []): string[] {
  return [
    'segment',
    ...[...new Set([...ACCOUNT_FACT_KEYS, ...accountAttributes])].map((a) => `account.${a}`),
    'metric.weekly_active_users',
    ...stakeholderRoleSchema.options.map((r) => `role.${r}`),
    ...stepIds.map((id) => `step.${id}.outcome`),
    ...milestoneIds.map((id) => `milestone.${id}`),
  ];
}
