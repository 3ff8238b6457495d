import type { PlaybookActivities, TriggerActivities } from '@cairn/workflows';
import { createAccountActivities } from './accounts.activities';
import { createApprovalActivities } from './approvals.activities';
import type { ActivityDeps } from './deps';
import { createEmailActivities } from './emails.activities';
import { createEnrollActivities } from './enroll.activities';
import { createMilestoneActivities } from './milestones.activities';
import { createRunActivities } from './runs.activities';
import { createTaskActivities } from './tasks.activities';
import { createTouchActivities } from './touches.activities';
import { createTriggerActivities } from './triggers.activities';
import { createWebhookActivities } from './webhooks.activities';

export type { ActivityDeps, EnrollFn, EnrollManyFn, EnrollmentResult, EnrollRequest } from './deps';

/** All activities playbook runs and trigger passes call, bound to their dependencies. */
export function createActivities(deps: ActivityDeps): PlaybookActivities & TriggerActivities {
  return {
    ...createTriggerActivities(deps),
    ...createRunActivities(deps),
    ...createAccountActivities(deps),
    ...createApprovalActivities(deps),
    ...createEmailActivities(deps),
    ...createTouchActivities(deps),
    ...createTaskActivities(deps),
    ...createMilestoneActivities(deps),
    ...createWebhookActivities(deps),
    ...createEnrollActivities(deps),
  };
}
