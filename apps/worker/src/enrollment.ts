import { enrollAccount, type EnrollmentDeps, EnrollmentNotFoundError } from '@cairn/enrollment';
import { ApplicationFailure } from '@temporalio/activity';
import type { EnrollFn } from './activities';

/**
 * `enroll` steps through `@cairn/enrollment` (audience, re-entry policy, one open run per
 * playbook and account), on the worker's own Temporal client. A playbook or account that does not
 * exist is final (`EnrollmentNotFound`); Temporal or the database unreachable is retried.
 */
export function createEnroll(deps: EnrollmentDeps): EnrollFn {
  return async ({ accountId, playbookKey, enrolledBy, reason }) => {
    try {
      return await enrollAccount(deps, { accountId, playbookKey, enrolledBy, reason });
    } catch (error) {
      if (error instanceof EnrollmentNotFoundError) throw ApplicationFailure.nonRetryable(error.message, 'EnrollmentNotFound');
      throw error;
    }
  };
}
