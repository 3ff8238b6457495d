import { repositories } from '@cairn/db';
import type { EnrollAccountInput, EnrollAccountResult } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps, EnrollmentResult } from './deps';
import { actionKey } from './keys';

/** Enrolling the account in another playbook (an `enroll` step), through `deps.enroll`. */
export function createEnrollActivities({ dataSource, enroll }: ActivityDeps) {
  return {
    /**
     * Enrolls once per (run, step, visit), recorded as a run action `enroll`: a retry after the
     * enrollment was recorded returns the stored answer without enrolling again. A retry after a
     * crash between enrolling and recording finds the account already running the playbook,
     * enrolled by this run, and reports it as the enrollment it was.
     */
    async enrollAccount(input: EnrollAccountInput): Promise<EnrollAccountResult> {
      const repos = repositories(dataSource.manager);
      const { action, created } = await repos.runActions.beginOnce({
        idempotencyKey: actionKey(input),
        runId: input.runId,
        nodeId: input.stepId,
        visit: input.visit,
        playbookVersionId: input.playbookVersionId,
        accountId: input.accountId,
        kind: 'enroll',
        target: input.playbookKey,
        approvalId: null,
        reason: input.reason,
      });
      if (action.status === 'done' || action.status === 'skipped') return action.detail.result as EnrollAccountResult;
      if (action.status === 'failed') throw ApplicationFailure.nonRetryable(String(action.detail.error), String(action.detail.errorType ?? 'EnrollmentFailed'));

      if (!enroll) {
        const error = 'This worker cannot enroll accounts (no enrollment service is configured)';
        await repos.runActions.update(action.id, 'failed', { error, errorType: 'EnrollmentUnavailable' });
        throw ApplicationFailure.nonRetryable(error, 'EnrollmentUnavailable');
      }
      const enrolledBy = `run:${input.runId}`;
      let enrollment: EnrollmentResult;
      try {
        enrollment = await enroll({ accountId: input.accountId, playbookKey: input.playbookKey, enrolledBy, reason: input.reason });
      } catch (error) {
        // Refusals are final and recorded; anything else (Temporal or the database unreachable) is retried.
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          await repos.runActions.update(action.id, 'failed', { error: error.message, errorType: error.type ?? 'EnrollmentFailed' });
        }
        throw error;
      }
      const playbook = await repos.playbooks.findByKey(input.playbookKey);
      const name = playbook?.name ?? input.playbookKey;
      let result: EnrollAccountResult;
      if (enrollment.status === 'enrolled') {
        result = { status: 'enrolled', runId: enrollment.runId, summary: `Enrolled in ${name} v${enrollment.version}` };
      } else {
        const other = !created && enrollment.runId ? await repos.runs.findById(enrollment.runId) : null;
        result =
          other && other.enrolledBy === enrolledBy
            ? { status: 'enrolled', runId: other.id, summary: `Enrolled in ${name} v${other.playbookVersion?.version ?? '?'}` }
            : { status: 'skipped', runId: enrollment.runId ?? null, summary: `Not enrolled in ${name}: ${enrollment.reason}` };
      }
      await repos.runActions.update(action.id, result.status === 'enrolled' ? 'done' : 'skipped', { result, enrollment: enrollment as unknown as Record<string, unknown> });
      return result;
    },
  };
}
