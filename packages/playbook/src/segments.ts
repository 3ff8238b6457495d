import { z } from 'zod';
import { type Condition, conditionSchema } from './conditions';
import { evaluateCondition, explainCondition } from './semantics/conditions';
import type { AccountSnapshot, Facts } from './semantics/facts';

/** The appropriate experience a segment's accounts get: how much human touch. */
export const touchModelSchema = z.enum(['tech', 'low', 'mid', 'high']);
export type TouchModel = z.infer<typeof touchModelSchema>;

/** What a segment rule may read: the account's own data, never a run's steps, milestones, events or segment. */
const RULE_FIELD = /^(account\.|metric\.|role\.)/;

/**
 * A segment's rule: a condition over account attributes, metrics and the people map
 * (`all`/`any`/`not`, comparisons, in-lists, dates against today).
 */
export const segmentRuleSchema = conditionSchema.superRefine((rule, ctx) => {
  const check = (c: Condition, path: Array<string | number>): void => {
    if ('all' in c) return c.all.forEach((x, i) => check(x, [...path, 'all', i]));
    if ('any' in c) return c.any.forEach((x, i) => check(x, [...path, 'any', i]));
    if ('not' in c) return check(c.not, [...path, 'not']);
    if (!RULE_FIELD.test(c.field)) ctx.addIssue({ code: 'custom', path: [...path, 'field'], message: `A segment rule reads account.<attribute>, metric.<name> or role.<role>, not "${c.field}"` });
  };
  check(rule, []);
});

/** A segment as membership needs it. A null rule is a manual segment: accounts are assigned to it. */
export interface SegmentDefinition {
  id: string;
  key: string;
  /** Lower wins: the account's segment (its appropriate experience) is its member segment with the lowest priority. */
  priority: number;
  rule: Condition | null;
}

/** Whether an account matches a rule now (`nowMs`: today for date comparisons). */
export function ruleMatches(rule: Condition, account: AccountSnapshot, nowMs: number): boolean {
  return evaluateCondition(rule, { account, steps: {}, milestones: {}, nowMs });
}

/** One comparison of a rule, with the value the account has, and whether it holds: the "why" of a preview. */
export interface RuleCheck {
  condition: string;
  holds: boolean;
}

/** Each comparison of the rule, in order, with whether it holds for the account. */
export function explainRule(rule: Condition, account: AccountSnapshot, nowMs: number): RuleCheck[] {
  const facts: Facts = { account, steps: {}, milestones: {}, nowMs };
  const walk = (c: Condition): RuleCheck[] => ('all' in c ? c.all.flatMap(walk) : 'any' in c ? c.any.flatMap(walk) : [{ condition: explainCondition(c, facts), holds: evaluateCondition(c, facts) }]);
  return walk(rule);
}

/**
 * The segments an account belongs to: every rule segment whose rule holds, and the manual segment
 * it is assigned to; and its own segment, the member with the lowest priority (ties: key order).
 */
export function membershipOf(segments: readonly SegmentDefinition[], account: AccountSnapshot, assignedSegmentId: string, nowMs: number): { members: string[]; primary: string } {
  const members = segments.filter((s) => (s.rule ? ruleMatches(s.rule, account, nowMs) : s.id === assignedSegmentId));
  const ordered = [...members].sort((a, b) => a.priority - b.priority || a.key.localeCompare(b.key));
  return { members: ordered.map((s) => s.id), primary: ordered[0]?.id ?? assignedSegmentId };
}

/** Segments entered and exited between two memberships. */
export function membershipChanges(before: Iterable<string>, after: Iterable<string>): { entered: string[]; exited: string[] } {
  const was = new Set(before);
  const is = new Set(after);
  return { entered: [...is].filter((id) => !was.has(id)), exited: [...was].filter((id) => !is.has(id)) };
}
