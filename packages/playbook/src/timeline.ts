import { durationMs } from './duration';
import type { CheckedNode, Wiring } from './graph';
import { type ApprovalData, approvalDeadline } from './nodes/approval';

const DAY_MS = 86_400_000;

/** When a step can fire, in days since enrollment; `latestDay` null means unbounded (a person, an event or an account date decides). */
export interface TimelineWindow {
  earliestDay: number;
  latestDay: number | null;
}

export type Timeline = Record<string, TimelineWindow>;

const days = (duration: string) => durationMs(duration) / DAY_MS;
const round = (n: number) => Math.round(n * 1000) / 1000;
const addLatest = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
const maxLatest = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(a, b));

/** An account date the enrollment is tied to (a trigger "120 days before renewal_date"). */
export interface DateAnchor {
  field: string;
  offsetDays: number;
}

/** How long a node holds the run before leaving through `handle`, given when the run arrived. */
function exitWindow(node: CheckedNode, handle: string, arrive: TimelineWindow, anchor: DateAnchor | null): TimelineWindow {
  const d = node.data as Record<string, any>;
  const after = (lo: number, hi: number | null): TimelineWindow => ({ earliestDay: arrive.earliestDay + lo, latestDay: addLatest(arrive.latestDay, hi) });
  switch (node.type) {
    case 'wait': {
      const slack = d.quietHours ? 1 : 0;
      if (d.mode === 'duration') {
        const n = days(d.duration);
        // Business days: five count per calendar week, so the wait may stretch over weekends.
        return after(n, (d.businessDays ? Math.ceil(n / 5) * 7 : n) + slack);
      }
      if (d.mode === 'until_day') return { earliestDay: Math.max(arrive.earliestDay, d.day), latestDay: arrive.latestDay === null ? null : Math.max(arrive.latestDay, d.day) + slack };
      // Enrolled at renewal_date − 120, "until renewal_date − 90" is day 30; other dates are unknown.
      if (anchor && anchor.field === d.field) {
        const day = d.offsetDays - anchor.offsetDays;
        return { earliestDay: Math.max(arrive.earliestDay, day), latestDay: arrive.latestDay === null ? null : Math.max(arrive.latestDay, day) + slack };
      }
      return { earliestDay: arrive.earliestDay, latestDay: null };
    }
    case 'wait_for':
      return handle === 'timed_out' ? after(days(d.timeout), days(d.timeout)) : after(0, days(d.timeout));
    case 'approval': {
      const deadline = approvalDeadline(d as ApprovalData);
      const limit = deadline ? days(deadline.after) : null;
      return handle === 'expired' && limit !== null ? after(limit, limit) : after(0, limit);
    }
    case 'task': {
      if (handle !== 'overdue') return after(0, null);
      return d.due.from === 'step'
        ? after(d.due.days, d.due.days)
        : { earliestDay: Math.max(arrive.earliestDay, d.due.days), latestDay: arrive.latestDay === null ? null : Math.max(arrive.latestDay, d.due.days) };
    }
    default:
      return arrive;
  }
}

/** Kahn's topological order of the acyclic part; what it leaves out is in or after a cycle. */
function topologicalOrder(nodes: Map<string, CheckedNode>, wiring: Wiring): { order: string[]; cyclic: Set<string> } {
  const indegree = new Map([...nodes.keys()].map((id) => [id, 0]));
  for (const outs of wiring.values()) for (const t of outs.values()) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const order = [...indegree].filter(([, n]) => n === 0).map(([id]) => id);
  for (let i = 0; i < order.length; i++) {
    for (const t of wiring.get(order[i])?.values() ?? []) {
      const n = (indegree.get(t) ?? 0) - 1;
      indegree.set(t, n);
      if (n === 0) order.push(t);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: new Set([...nodes.keys()].filter((id) => !placed.has(id))) };
}

/**
 * The 30/60/90 view: for every step, the earliest and latest day since enrollment it can fire.
 * Earliest is a shortest path, latest a longest path over the time each step can hold the run;
 * steps in or after a loop have no latest day. Linear in the size of the graph for loop-free playbooks.
 */
export function computeTimeline(nodes: Map<string, CheckedNode>, wiring: Wiring, entryId: string): Timeline {
  const { order, cyclic } = topologicalOrder(nodes, wiring);
  const entry = nodes.get(entryId)?.data as Record<string, any> | undefined;
  const anchor: DateAnchor | null = entry?.on === 'account_date' ? { field: entry.field, offsetDays: entry.offsetDays } : null;
  const windows = new Map<string, TimelineWindow>([[entryId, { earliestDay: 0, latestDay: 0 }]]);
  const slowestTrack = new Map<string, number>();

  /** Pushes a node's exit windows to its targets; returns the targets whose window changed. */
  const propagate = (id: string): string[] => {
    const node = nodes.get(id);
    const arrive = windows.get(id);
    if (!node || !arrive) return [];
    const changed: string[] = [];
    for (const [handle, target] of wiring.get(id) ?? []) {
      const out = exitWindow(node, handle, arrive, anchor);
      const next: TimelineWindow = { earliestDay: out.earliestDay, latestDay: cyclic.has(target) ? null : out.latestDay };
      if (nodes.get(target)?.type === 'join') slowestTrack.set(target, Math.max(slowestTrack.get(target) ?? 0, next.earliestDay));
      const seen = windows.get(target);
      const merged = seen ? { earliestDay: Math.min(seen.earliestDay, next.earliestDay), latestDay: maxLatest(seen.latestDay, next.latestDay) } : next;
      if (!seen || merged.earliestDay !== seen.earliestDay || merged.latestDay !== seen.latestDay) {
        windows.set(target, merged);
        changed.push(target);
      }
    }
    return changed;
  };

  for (const id of order) {
    // A join waiting for every track fires no earlier than its slowest track.
    const join = nodes.get(id);
    const w = windows.get(id);
    if (join?.type === 'join' && join.data.mode === 'all' && w) windows.set(id, { ...w, earliestDay: slowestTrack.get(id) ?? w.earliestDay });
    propagate(id);
  }
  // Loops: relax earliest days until they settle (additions are never negative, so they do).
  const pending = [...cyclic].filter((id) => windows.has(id));
  while (pending.length) for (const target of propagate(pending.pop() as string)) if (cyclic.has(target)) pending.push(target);

  const timeline: Timeline = {};
  for (const id of [...windows.keys()].sort()) {
    const w = windows.get(id) as TimelineWindow;
    timeline[id] = { earliestDay: round(w.earliestDay), latestDay: w.latestDay === null ? null : round(w.latestDay) };
  }
  return timeline;
}
