import { type ExecutablePlan, isNodeType, nodeDefinition, type OpenEnd, type SegmentTimeline, segmentPaths } from '@cairn/playbook';

/** The segment selector's value for the path of any segment the playbook does not name. */
export const OTHER_PATH = '(other)';

/** The segment selector: every path, then each segment the playbook serves. */
export function pathOptions(plan: ExecutablePlan): Array<{ value: string; label: string }> {
  return [
    { value: '', label: 'All paths' },
    ...segmentPaths(plan).map((p) => (p.segment === null ? { value: OTHER_PATH, label: 'Any other segment' } : { value: p.segment, label: p.segment })),
  ];
}

/** The selector's value as `segmentTimeline` takes it: undefined for every path, null for any other segment. */
export const segmentOfPath = (value: string): string | null | undefined => (value === '' ? undefined : value === OTHER_PATH ? null : value);

/** The axis: day 0 to the last day anything happens, rounded up to a month of 30 days, at least 90. */
export function axisOf(timeline: SegmentTimeline): { end: number; ticks: number[] } {
  const days = [
    ...timeline.steps.flatMap((s) => [s.earliestDay, s.latestDay ?? 0]),
    ...timeline.milestones.map((m) => m.targetDay),
  ];
  const end = Math.max(90, Math.ceil(Math.max(0, ...days) / 30) * 30);
  return { end, ticks: Array.from({ length: end / 30 + 1 }, (_, i) => i * 30) };
}

const ROLE_WORDS: Record<string, string> = { cs_manager: 'the CS manager', executive_sponsor: 'the executive sponsor' };

/** Who or what decides when an open-ended step lets the run go on, in words: "when the CSM decides". */
export function openEndText(openEnd: OpenEnd, plan: ExecutablePlan): string {
  const step = plan.steps[openEnd.stepId];
  const d = (step?.data ?? {}) as { assignee?: { kind: string; role?: string }; completion?: { event?: { type?: string } }; field?: string };
  switch (openEnd.by) {
    case 'person':
      if (step?.type === 'task') return 'when the task is done';
      if (d.assignee?.kind === 'role') return `when ${ROLE_WORDS[d.assignee.role ?? ''] ?? d.assignee.role} decides`;
      return d.assignee?.kind === 'user' ? 'when the approver decides' : 'when the CSM decides';
    case 'event':
      return d.completion?.event?.type ? `on the event ${d.completion.event.type}` : 'on the event';
    case 'condition':
      return 'when its condition holds';
    case 'account_date':
      return `on the account’s ${String(d.field ?? 'date')}`;
    case 'loop':
      return 'after a loop, as often as it repeats';
  }
}

const dayText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface TimelineRow {
  stepId: string;
  title: string;
  typeLabel: string;
  earliestDay: number;
  latestDay: number | null;
  /** "day 3", "days 3–5", "from day 3, when the CSM decides (Approve kickoff)". */
  when: string;
  /** For an open latest day: who or what decides. */
  open?: string;
  /** A milestone's target day, and whether even the fastest path is late for it. */
  milestone?: { name: string; targetDay: number; lateByDesign: boolean };
  /** A touch as this path gets it: "meeting to champion (segment variant)". */
  touch?: string;
}

const variantCount = (data: unknown) => ((data as { variants?: unknown[] } | undefined)?.variants ?? []).length;

/** A touch as the path gets it; on every path, whether segments get another. */
function touchText(touch: { channel: string; to: string; variant: number | null }, variants: number): string {
  const base = `${touch.channel} to ${touch.to}`;
  if (touch.variant !== null) return `${base} (segment variant)`;
  return variants ? `${base}, or a segment's variant` : base;
}

/** One row per step the path reaches, by earliest day; milestones carry their target. */
export function timelineRows(plan: ExecutablePlan, timeline: SegmentTimeline): TimelineRow[] {
  const milestones = new Map(timeline.milestones.map((m) => [m.stepId, m]));
  return timeline.steps.map((s) => {
    const step = plan.steps[s.stepId];
    const open = s.openEnd ? openEndText(s.openEnd, plan) : undefined;
    const cause = s.openEnd && s.openEnd.stepId !== s.stepId ? ` (${plan.steps[s.openEnd.stepId]?.label ?? s.openEnd.stepId})` : '';
    const when =
      s.latestDay === null
        ? `from day ${dayText(s.earliestDay)}, ${open}${cause}`
        : s.latestDay === s.earliestDay
          ? `day ${dayText(s.earliestDay)}`
          : `days ${dayText(s.earliestDay)}–${dayText(s.latestDay)}`;
    const m = milestones.get(s.stepId);
    return {
      stepId: s.stepId,
      title: step?.label ?? s.stepId,
      typeLabel: step && isNodeType(step.type) ? nodeDefinition(step.type).label : (step?.type ?? ''),
      earliestDay: s.earliestDay,
      latestDay: s.latestDay,
      when,
      ...(open ? { open: `${open}${cause}` } : {}),
      ...(m ? { milestone: { name: m.name, targetDay: m.targetDay, lateByDesign: m.earliestDay > m.targetDay } } : {}),
      ...(s.touch ? { touch: touchText(s.touch, timeline.segment === undefined ? variantCount(step?.data) : 0) } : {}),
    };
  });
}

/** Where a day sits on the axis, in percent of its width. */
export const atDay = (day: number, end: number) => `${Math.min(100, (day / end) * 100).toFixed(3)}%`;
