import { type Comparison, type Condition, conditionFields } from './conditions';
import type { CheckedNode, Wiring } from './graph';
import { type ApprovalData, approvalDeadline } from './nodes/approval';
import type { TouchData } from './nodes/touch';
import type { ExecutablePlan, PlanMilestone } from './plan';
import { evaluateCondition } from './semantics/conditions';
import { accountSnapshotSchema } from './semantics/facts';
import { touchForSegment } from './semantics/steps';
import { computeTimeline, type Timeline, type TimelineWindow } from './timeline';

/** A segment path of the 30/60/90 view: a segment the playbook names, or any other segment. */
export interface SegmentPath {
  /** The segment key; null for "any other segment" (a playbook for every account). */
  segment: string | null;
  /** Where the playbook names it. */
  from: Array<'audience' | 'trigger' | 'branch' | 'touch'>;
}

/** Why a step's latest day is open: who or what decides when the run moves on, and at which step. */
export interface OpenEnd {
  stepId: string;
  by: 'person' | 'event' | 'condition' | 'account_date' | 'loop';
}

export interface SegmentTimelineStep extends TimelineWindow {
  stepId: string;
  /** For an open latest day: the step upstream (or this one) that leaves it open. */
  openEnd?: OpenEnd;
  /** A touch as this segment gets it: the channel and recipient of its variant (or the default). */
  touch?: { channel: string; to: string; variant: number | null };
}

export interface SegmentTimeline {
  /** The segment path: undefined for every path, null for any segment the playbook does not name. */
  segment?: string | null;
  /** The steps this segment's accounts can reach, by earliest day (then how far from the trigger, breadth first). */
  steps: SegmentTimelineStep[];
  /** The milestones they can reach, by target day, with their windows on this path. */
  milestones: PlanMilestone[];
  /** Branches this segment decides: the outputs it can take (the others are pruned). */
  decided: Record<string, string[]>;
}

/** A segment no playbook names: every comparison with a named segment is false for it. */
const OTHER_SEGMENT = '\u0000other';

function segmentValues(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(segmentValues);
  if ('any' in condition) return condition.any.flatMap(segmentValues);
  if ('not' in condition) return segmentValues(condition.not);
  if (condition.field !== 'segment') return [];
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * The segments a plan serves, in order of first mention: its audience, a segment trigger's segment,
 * the segments its branch conditions compare with, and its touches' per-segment variants. When the
 * audience is every account, a last path (`segment: null`) stands for any segment it does not name.
 */
export function segmentPaths(plan: ExecutablePlan): SegmentPath[] {
  const paths = new Map<string, SegmentPath>();
  const add = (segment: string, from: SegmentPath['from'][number]) => {
    const path = paths.get(segment) ?? { segment, from: [] };
    if (!path.from.includes(from)) path.from.push(from);
    paths.set(segment, path);
  };
  for (const s of plan.audience?.segments ?? []) add(s, 'audience');
  const trigger = plan.steps[plan.entryStepId]?.data as { on?: string; segment?: string } | undefined;
  if (trigger?.segment && (trigger.on === 'segment_entered' || trigger.on === 'segment_exited')) add(trigger.segment, 'trigger');
  for (const id of Object.keys(plan.steps).sort()) {
    const step = plan.steps[id];
    if (step.type === 'branch') for (const c of (step.data as { cases: Array<{ when: Condition }> }).cases) for (const s of segmentValues(c.when)) add(s, 'branch');
    if (step.type === 'touch') for (const v of (step.data as TouchData).variants ?? []) for (const s of v.segments) add(s, 'touch');
  }
  const named = [...paths.values()];
  return (plan.audience?.segments ?? []).length === 0 && named.length > 0 ? [...named, { segment: null, from: [] }] : named;
}

/**
 * Whether a condition holds for accounts of `segment`, when only the segment is known: comparisons
 * of `segment` are decided, everything else is unknown (null), combined in three-valued logic.
 */
export function segmentDecides(condition: Condition, segment: string): boolean | null {
  if ('all' in condition) {
    const parts = condition.all.map((c) => segmentDecides(c, segment));
    return parts.includes(false) ? false : parts.every((p) => p === true) ? true : null;
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => segmentDecides(c, segment));
    return parts.includes(true) ? true : parts.every((p) => p === false) ? false : null;
  }
  if ('not' in condition) {
    const inner = segmentDecides(condition.not, segment);
    return inner === null ? null : !inner;
  }
  const comparison = condition as Comparison;
  if (comparison.field !== 'segment' || conditionFields(comparison).length !== 1) return null;
  return evaluateCondition(comparison, { account: accountSnapshotSchema.parse({ segment }), steps: {}, milestones: {} });
}

/** The outputs a branch can take for accounts of `segment` (all of them when `segment` is undefined). */
function branchHandles(cases: Array<{ id: string; when: Condition }>, segment: string | undefined): string[] {
  if (segment === undefined) return [...cases.map((c) => c.id), 'otherwise'];
  const handles: string[] = [];
  for (const c of cases) {
    const holds = segmentDecides(c.when, segment);
    if (holds === true) return [...handles, c.id];
    if (holds === null) handles.push(c.id);
  }
  return [...handles, 'otherwise'];
}

/** Who or what decides when a step lets the run go on, if nothing bounds it (null: it is bounded). */
function unboundedBy(plan: ExecutablePlan, stepId: string, handle: string, anchorField: string | null): OpenEnd['by'] | null {
  const step = plan.steps[stepId];
  const d = step.data as { completion?: { by?: string }; mode?: string; field?: string };
  if (step.type === 'approval') return approvalDeadline(step.data as ApprovalData) ? null : 'person';
  if (step.type === 'task' && handle !== 'overdue') return d.completion?.by === 'person' ? 'person' : d.completion?.by === 'event' ? 'event' : 'condition';
  if (step.type === 'wait' && d.mode === 'until_date' && d.field !== anchorField) return 'account_date';
  return null;
}

/**
 * The 30/60/90 view for one segment path: the steps its accounts can reach and the earliest and
 * latest day each can fire, with branches decided by the segment resolved for it (a branch on other
 * data still goes both ways). `segment` undefined gives every path: the compiled plan's timeline.
 * Uses the compiler's own timeline pass over the plan's steps, with the outputs the segment cannot
 * take removed.
 */
export function segmentTimeline(plan: ExecutablePlan, segment?: string | null): SegmentTimeline {
  const key = segment === null ? OTHER_SEGMENT : segment;
  const decided: Record<string, string[]> = {};
  const wiring: Wiring = new Map();
  for (const step of Object.values(plan.steps)) {
    let handles = Object.keys(step.next);
    if (step.type === 'branch' && key !== undefined) {
      const possible = branchHandles((step.data as { cases: Array<{ id: string; when: Condition }> }).cases, key);
      if (possible.length < handles.length) decided[step.id] = possible;
      handles = handles.filter((h) => possible.includes(h));
    }
    const outs = new Map<string, string>();
    for (const h of handles) if (step.next[h]) outs.set(h, step.next[h] as string);
    wiring.set(step.id, outs);
  }
  // Only what this segment can reach, so a join waits for the tracks that can arrive.
  const reached = new Set([plan.entryStepId]);
  const queue = [plan.entryStepId];
  for (let i = 0; i < queue.length; i++) for (const t of wiring.get(queue[i])?.values() ?? []) if (!reached.has(t) && queue.push(t)) reached.add(t);
  const order = new Map(queue.map((id, i) => [id, i]));
  const nodes = new Map<string, CheckedNode>();
  [...reached].sort().forEach((id, index) => {
    const s = plan.steps[id];
    nodes.set(id, { index, id, type: s.type, label: s.label, data: s.data, outputs: [] });
  });
  for (const id of wiring.keys()) if (!reached.has(id)) wiring.delete(id);
  const timeline: Timeline = key === undefined ? plan.timeline : computeTimeline(nodes, wiring, plan.entryStepId);

  const trigger = plan.steps[plan.entryStepId]?.data as { on?: string; field?: string };
  const anchorField = trigger?.on === 'account_date' ? (trigger.field ?? null) : null;
  const incoming = new Map<string, Array<[string, string]>>();
  for (const [source, outs] of wiring) for (const [handle, target] of outs) incoming.set(target, [...(incoming.get(target) ?? []), [source, handle]]);
  /** The nearest step upstream whose exit nothing bounds, breadth first through open steps. */
  const openEndOf = (stepId: string): OpenEnd => {
    const seen = new Set([stepId]);
    const frontier = [stepId];
    for (let i = 0; i < frontier.length; i++) {
      for (const [source, handle] of [...(incoming.get(frontier[i]) ?? [])].sort()) {
        const arrive = timeline[source];
        const by = arrive ? unboundedBy(plan, source, handle, anchorField) : null;
        if (by && arrive.latestDay !== null) return { stepId: source, by };
        if (!seen.has(source) && arrive?.latestDay === null) {
          seen.add(source);
          frontier.push(source);
        }
      }
    }
    return { stepId, by: 'loop' };
  };

  const steps = Object.entries(timeline)
    .map(([stepId, w]): SegmentTimelineStep => {
      const step = plan.steps[stepId];
      const row: SegmentTimelineStep = { stepId, earliestDay: w.earliestDay, latestDay: w.latestDay };
      if (w.latestDay === null) row.openEnd = openEndOf(stepId);
      if (step?.type === 'touch') {
        const t = touchForSegment(step.data as TouchData, key ?? '');
        row.touch = { channel: t.channel, to: t.to, variant: key === undefined ? null : t.variant };
      }
      return row;
    })
    .sort((a, b) => a.earliestDay - b.earliestDay || (order.get(a.stepId) ?? 0) - (order.get(b.stepId) ?? 0));
  const milestones = plan.milestones.filter((m) => timeline[m.stepId]).map((m) => ({ ...m, ...timeline[m.stepId] }));
  return { segment, steps, milestones, decided };
}
