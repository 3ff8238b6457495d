import type { PlaybookActivities } from '@cairn/workflows';
import { createAccountActivities } from './accounts.activities';
import { createApprovalActivities } from './approvals.activities';
import type { ActivityDeps } from './deps';
import { createEmailActivities } from './emails.activities';
import { createEnrollActivities } from './enroll.activities';
import { createMilestoneActivities } from './milestones.activities';
import { createRunActivities } from './runs.activities';
import { createTaskActivities } from './tasks.activities';
import { createTouchActivities } from './touches.activities';
import { createWebhookActivities } from './webhooks.activities';

export type { ActivityDeps, EnrollFn, EnrollmentResult, EnrollRequest } from './deps';

/** All activities a playbook run calls, bound to their dependencies. */
export function createActivities(deps: ActivityDeps): PlaybookActivities {
  return {
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
