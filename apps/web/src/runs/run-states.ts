import type { Run } from '@cairn/contracts';
import type { PlaybookDocument } from '@cairn/playbook';
import type { RunOverlay } from '../canvas/to-flow';

type RunView = Pick<Run, 'steps' | 'currentNodeId' | 'status'> & { live?: Run['live'] };

/** "until 3 Mar 2027, 09:00" in the reader's time zone. */
const untilText = (iso: string) => `until ${new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;

/**
 * The run drawn over its playbook:
 * - `done`: the step completed (with the output it took, so the canvas marks the edge taken);
 * - `waiting`: the run holds on the step for a time, a decision or an event (the run's live state
 *   says for what and until when; a step row `waiting` without live state says so too);
 * - `current`: the step the run is on now, not waiting;
 * - `skipped`: given the document, a step the run never entered whose every way in comes from a
 *   done step that took another output (a branch not taken); once the run has ended, every step
 *   it never entered.
 */
export function runOverlay(run: RunView, doc?: PlaybookDocument): RunOverlay {
  const overlay: RunOverlay = { states: {}, outcomes: {}, details: {} };
  const details = overlay.details as Record<string, string>;
  for (const step of run.steps) {
    overlay.states[step.nodeId] = step.status === 'completed' ? 'done' : step.status === 'waiting' ? 'waiting' : 'current';
    overlay.outcomes[step.nodeId] = step.outcome;
  }
  if (run.status !== 'running') {
    // A finished run is on no step, whatever its last step row says.
    for (const [nodeId, state] of Object.entries(overlay.states)) if (state === 'current' || state === 'waiting') delete overlay.states[nodeId];
  } else {
    if (run.currentNodeId && overlay.states[run.currentNodeId] !== 'waiting') overlay.states[run.currentNodeId] = 'current';
    for (const active of run.live?.active ?? []) {
      const waits = Boolean(active.until || active.waitingFor);
      overlay.states[active.stepId] = waits ? 'waiting' : 'current';
      const words = [active.waitingFor, active.until ? untilText(active.until) : null].filter(Boolean).join(', ');
      if (words) details[active.stepId] = words;
    }
  }
  if (doc) {
    const entered = new Set(run.steps.map((s) => s.nodeId));
    // Until nothing changes: a skipped step's successors are skipped too, wherever they are listed.
    for (let changed = true; changed; ) {
      changed = false;
      for (const node of doc.nodes) {
        if (entered.has(node.id) || overlay.states[node.id]) continue;
        const incoming = doc.edges.filter((e) => e.target === node.id);
        const bypassed =
          incoming.length > 0 &&
          incoming.every((e) => overlay.states[e.source] === 'skipped' || (overlay.states[e.source] === 'done' && overlay.outcomes[e.source] != null && overlay.outcomes[e.source] !== (e.sourceHandle ?? 'next')));
        if (run.status !== 'running' || bypassed) {
          overlay.states[node.id] = 'skipped';
          changed = true;
        }
      }
    }
  }
  return overlay;
}
