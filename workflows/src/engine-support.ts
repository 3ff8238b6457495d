import type { PlanStep } from '@cairn/playbook';

/** Step types the generic interpreter (engine/steps.ts) runs: every type of the language today. */
export const ENGINE_STEP_TYPES: ReadonlySet<string> = new Set([
  'trigger',
  'wait',
  'wait_for',
  'branch',
  'touch',
  'task',
  'approval',
  'milestone',
  'update_account',
  'webhook',
  'parallel',
  'join',
  'enroll',
  'end',
]);

/**
 * Why this engine cannot run a step, or null. The language may grow a node type before the
 * engine does: publishing refuses such a plan (with this reason), never a run midway.
 */
export function unsupportedByEngine(step: PlanStep): string | null {
  return ENGINE_STEP_TYPES.has(step.type) ? null : `"${step.type}" steps can be designed and simulated, but this engine does not run them yet`;
}
