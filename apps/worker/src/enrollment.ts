import { enrollAccount, type EnrollmentDeps, EnrollmentNotFoundError, enrollMany } from '@cairn/enrollment';
import { ApplicationFailure } from '@temporalio/activity';
import type { EnrollFn, EnrollManyFn } from './activities';

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

/**
 * Trigger passes (schedules, account dates) enroll many accounts at once through `enrollMany`
 * (the same rules, batched). A playbook gone since the pass began is final; the rest is retried.
 */
export function createEnrollMany(deps: EnrollmentDeps): EnrollManyFn {
  return async ({ playbookKey, accountIds, enrolledBy, reason }) => {
    try {
      return await enrollMany(deps, { playbookKey, accountIds, enrolledBy, reason });
    } catch (error) {
      if (error instanceof EnrollmentNotFoundError) throw ApplicationFailure.nonRetryable(error.message, 'EnrollmentNotFound');
      throw error;
    }
  };
}
