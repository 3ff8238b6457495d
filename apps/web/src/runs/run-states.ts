import type { Run } from '@cairn/contracts';
import type { StepState } from '../canvas/to-flow';

/** Which steps a run has completed and which one it is on, for the canvas. */
export function runStates(run: Pick<Run, 'steps' | 'currentNodeId' | 'status'>): Record<string, StepState> {
  const states: Record<string, StepState> = {};
  for (const step of run.steps) states[step.nodeId] = step.status === 'completed' ? 'done' : 'current';
  if (run.status === 'running' && run.currentNodeId) states[run.currentNodeId] = 'current';
  return states;
}
