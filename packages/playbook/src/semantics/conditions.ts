import type { Comparison, Condition, EventMatch } from '../conditions';
import { type Facts, readField } from './facts';

function compare(c: Comparison, facts: Facts): boolean {
  const actual = readField(facts, c.field);
  const expected = c.value;
  switch (c.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
      return typeof actual === 'number' && actual > (expected as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (expected as number);
    case 'lt':
      return typeof actual === 'number' && actual < (expected as number);
    case 'lte':
      return typeof actual === 'number' && actual <= (expected as number);
    case 'in':
      return Array.isArray(expected) && expected.includes(actual as never);
    case 'not_in':
      return Array.isArray(expected) && !expected.includes(actual as never);
    case 'contains':
      return (typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected)) || (Array.isArray(actual) && actual.includes(expected));
  }
}

/** Whether a condition holds. Missing data never matches a comparison (except `not_exists`). */
export function evaluateCondition(condition: Condition, facts: Facts): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, facts));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, facts));
  if ('not' in condition) return !evaluateCondition(condition.not, facts);
  return compare(condition, facts);
}

/** A condition in words, for "why" explanations: `metric.weekly_active_users gte 10`. */
export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeCondition).join(' and ');
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' or ')})`;
  if ('not' in condition) return `not (${describeCondition(condition.not)})`;
  return [condition.field, condition.op.replace('_', ' '), condition.value === undefined ? '' : JSON.stringify(condition.value)].filter(Boolean).join(' ');
}

/** Whether an event is the one a step (or an exit criterion) waits for; its filter reads `event.<field>`. */
export function eventMatches(match: EventMatch, event: { type: string; data: Record<string, unknown> }, facts: Facts): boolean {
  return event.type === match.type && (!match.where || evaluateCondition(match.where, { ...facts, event: event.data }));
}
