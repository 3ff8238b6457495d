import type { PlaybookDocument } from './document';
import type { NodeType } from './nodes/registry';
import type { Timeline, TimelineWindow } from './timeline';

/** One executable step: the node's validated data and where each of its outputs leads. */
export interface PlanStep {
  id: string;
  type: NodeType;
  label: string;
  data: Record<string, unknown>;
  /** Output handle → next step id; null when an optional output is left unconnected. */
  next: Record<string, string | null>;
}

/**
 * The immutable result of compiling a playbook. Runs carry their plan with them, so editing a
 * playbook never changes what an in-flight run does.
 */
export interface ExecutablePlan {
  schemaVersion: number;
  compilerVersion: number;
  key: string;
  name: string;
  kind: string;
  audience: PlaybookDocument['audience'];
  settings: PlaybookDocument['settings'];
  entryStepId: string;
  steps: Record<string, PlanStep>;
  /** Earliest and latest day since enrollment each step can fire (the 30/60/90 view). */
  timeline: Timeline;
  milestones: PlanMilestone[];
  /** SHA-256 of the canonical JSON of everything above. */
  hash: string;
}

export interface PlanMilestone extends TimelineWindow {
  stepId: string;
  name: string;
  targetDay: number;
}

/** Where a step's output leads; null ends the run. */
export function nextStepId(plan: ExecutablePlan, stepId: string, handle: string): string | null {
  const step = plan.steps[stepId];
  if (!step) throw new Error(`plan ${plan.key} has no step ${stepId}`);
  return step.next[handle] ?? null;
}
