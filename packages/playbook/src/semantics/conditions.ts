import { type Comparison, type Condition, type DateOp, type EventMatch, isDateOp } from '../conditions';
import { daysBetween, localDate } from './calendar';
import { type Facts, readField } from './facts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** A date field against today in the account's timezone; a missing or malformed date, or no clock, never matches. */
function compareDate(op: DateOp, actual: unknown, days: number, facts: Facts): boolean {
  if (facts.nowMs === undefined || typeof actual !== 'string' || !ISO_DATE.test(actual) || Number.isNaN(Date.parse(actual.slice(0, 10)))) return false;
  const fromToday = daysBetween(localDate(facts.nowMs, facts.account.timezone), actual);
  switch (op) {
    case 'within_next':
      return fromToday >= 0 && fromToday <= days;
    case 'within_last':
      return fromToday <= 0 && -fromToday <= days;
    case 'more_than_days_ago':
      return -fromToday > days;
    case 'more_than_days_ahead':
      return fromToday > days;
  }
}

function compare(c: Comparison, facts: Facts): boolean {
  const actual = readField(facts, c.field);
  const expected = c.value;
  if (isDateOp(c.op)) return compareDate(c.op, actual, expected as number, facts);
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

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
const DATE_WORDS: Record<DateOp, (n: number) => string> = {
  within_next: (n) => `within the next ${days(n)}`,
  within_last: (n) => `within the last ${days(n)}`,
  more_than_days_ago: (n) => `more than ${days(n)} ago`,
  more_than_days_ahead: (n) => `more than ${days(n)} ahead`,
};

/** A condition in words, for "why" explanations: `metric.weekly_active_users gte 10`. */
export function describeCondition(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeCondition).join(' and ');
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' or ')})`;
  if ('not' in condition) return `not (${describeCondition(condition.not)})`;
  if (isDateOp(condition.op)) return `${condition.field} ${DATE_WORDS[condition.op](condition.value as number)}`;
  return [condition.field, condition.op.replace('_', ' '), condition.value === undefined ? '' : JSON.stringify(condition.value)].filter(Boolean).join(' ');
}

const SYMBOLS: Record<string, string> = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', not_in: 'not in', contains: 'contains' };

/**
 * A condition in words with the values it read, for "why" explanations of what fired:
 * `metric.seats_active 12 < 20`, `account.plan "growth" in ["enterprise","strategic"]`,
 * `account.renewal_date 2027-01-15 within the next 90 days`, `role.champion is not set`.
 */
export function explainCondition(condition: Condition, facts: Facts): string {
  if ('all' in condition) return condition.all.map((c) => explainCondition(c, facts)).join(' and ');
  if ('any' in condition) return `(${condition.any.map((c) => explainCondition(c, facts)).join(' or ')})`;
  if ('not' in condition) return `not (${explainCondition(condition.not, facts)})`;
  const c = condition;
  if (c.op === 'exists' || c.op === 'not_exists') {
    const set = readField(facts, c.field) !== undefined && readField(facts, c.field) !== null;
    return `${c.field} is ${set ? '' : 'not '}set`;
  }
  const actual = readField(facts, c.field);
  const shown = actual === undefined || actual === null ? '(not set)' : JSON.stringify(actual);
  const op = isDateOp(c.op) ? DATE_WORDS[c.op](c.value as number) : `${SYMBOLS[c.op] ?? c.op} ${JSON.stringify(c.value)}`;
  return `${c.field} ${shown} ${op}`;
}

/** Whether an event is the one a step (or an exit criterion) waits for; its filter reads `event.<field>`. */
export function eventMatches(match: EventMatch, event: { type: string; data: Record<string, unknown> }, facts: Facts): boolean {
  return event.type === match.type && (!match.where || evaluateCondition(match.where, { ...facts, event: event.data }));
}
