// The workflow module the worker bundles. Deterministic code only (see engine/run-plan.ts).
import { patched } from '@temporalio/workflow';
import type { PlaybookRunInput, PlaybookRunResult } from './definitions';
import { runPlan } from './engine/run-plan';
import { thinPathRun } from './legacy/thin-path-run';

/**
 * Marks runs started on the generic interpreter. Runs started before it (no marker in their
 * history) replay through the frozen thin-path engine, so deploying never breaks them.
 */
export const GENERIC_INTERPRETER_PATCH = 'cairn-generic-interpreter';

/** One playbook run for one account (workflow type `playbookRun`). */
export async function playbookRun(input: PlaybookRunInput): Promise<PlaybookRunResult> {
  if (patched(GENERIC_INTERPRETER_PATCH)) return runPlan(input);
  return thinPathRun(input);
}
