import { type Condition } from './conditions';
import { segmentRuleSchema } from './segments';
import { daysBetween, localDate } from './semantics/calendar';
import { evaluateCondition, explainCondition } from './semantics/conditions';
import type { AccountSnapshot } from './semantics/facts';

/** How an objective is measured: a condition over the account's own data, as segment rules are. */
export const objectiveMeasureSchema = segmentRuleSchema;

export interface ObjectiveForStatus {
  measure: Condition | null;
  /** YYYY-MM-DD, or null. */
  targetDate: string | null;
  /** A person's call, which wins over the measure. */
  override: { status: 'green' | 'red'; note: string; by: string } | null;
}

export interface ObjectiveStatus {
  status: 'green' | 'red';
  reason: string;
}

/**
 * Green or red, and why: a person's override first; else the measure read on the account now
 * ("metric.weekly_active_users 212 ≥ 200"), red while it does not hold (saying how far the target
 * date is, or that it passed); an objective with neither is red until someone marks it met.
 */
export function objectiveStatus(objective: ObjectiveForStatus, account: AccountSnapshot, nowMs: number): ObjectiveStatus {
  if (objective.override) return { status: objective.override.status, reason: `Marked ${objective.override.status} by ${objective.override.by}${objective.override.note ? `: ${objective.override.note}` : ''}` };
  if (!objective.measure) return { status: 'red', reason: 'No measure: mark it green when the customer agrees it is met' };
  const facts = { account, steps: {}, milestones: {}, nowMs };
  const read = explainCondition(objective.measure, facts);
  if (evaluateCondition(objective.measure, facts)) return { status: 'green', reason: `Met: ${read}` };
  if (!objective.targetDate) return { status: 'red', reason: `Not met yet: ${read}` };
  const left = daysBetween(localDate(nowMs, account.timezone), objective.targetDate);
  const when = left < 0 ? `target date ${objective.targetDate} passed ${-left} day${left === -1 ? '' : 's'} ago` : left === 0 ? `target date ${objective.targetDate} is today` : `${left} day${left === 1 ? '' : 's'} to the target date ${objective.targetDate}`;
  return { status: 'red', reason: `Not met yet: ${read}; ${when}` };
}
