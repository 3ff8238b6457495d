import type { PlaybookActivities } from '@cairn/workflows';
import { createApprovalActivities } from './approvals.activities';
import type { ActivityDeps } from './deps';
import { createEmailActivities } from './emails.activities';
import { createRunActivities } from './runs.activities';

export type { ActivityDeps } from './deps';

/** All activities a playbook run calls, bound to their dependencies. */
export function createActivities(deps: ActivityDeps): PlaybookActivities {
  return { ...createRunActivities(deps), ...createApprovalActivities(deps), ...createEmailActivities(deps) };
}
