import type { Run } from '@cairn/contracts';
import type { RunOverlay } from '../canvas/to-flow';

/** Which steps a run has completed, which one it is on, and which output each step took. */
export function runOverlay(run: Pick<Run, 'steps' | 'currentNodeId' | 'status'>): RunOverlay {
  const overlay: RunOverlay = { states: {}, outcomes: {} };
  for (const step of run.steps) {
    overlay.states[step.nodeId] = step.status === 'completed' ? 'done' : 'current';
    overlay.outcomes[step.nodeId] = step.outcome;
  }
  // A finished run is on no step, whatever its last step row says.
  if (run.status !== 'running') {
    for (const [nodeId, state] of Object.entries(overlay.states)) if (state === 'current') delete overlay.states[nodeId];
  } else if (run.currentNodeId) {
    overlay.states[run.currentNodeId] = 'current';
  }
  return overlay;
}
