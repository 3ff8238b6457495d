// The workflow module the worker bundles. Deterministic code only (see engine/run-plan.ts).
import { patched, proxyActivities } from '@temporalio/workflow';
import type { TriggerActivities, TriggerEnrollmentSummary } from './activities';
import type { PlaybookRunInput, PlaybookRunResult, ScheduledEnrollmentInput } from './definitions';
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

/** Enrolling a whole audience is one long, idempotent activity (enrollment skips who is already in). */
const triggers = proxyActivities<TriggerActivities>({
  startToCloseTimeout: '15 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** One tick of a schedule-triggered playbook (workflow type `scheduledEnrollment`). */
export async function scheduledEnrollment(input: ScheduledEnrollmentInput): Promise<TriggerEnrollmentSummary> {
  return triggers.enrollOnSchedule({ playbookKey: input.playbookKey, firedAt: new Date().toISOString() });
}

/** The daily pass over account-date triggers (workflow type `accountDateTriggers`). */
export async function accountDateTriggers(): Promise<TriggerEnrollmentSummary[]> {
  return triggers.enrollDueAccountDates({ firedAt: new Date().toISOString() });
}
