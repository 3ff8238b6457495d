import { repositories } from '@cairn/db';
import type { RecordMilestoneInput } from '@cairn/workflows';
import type { ActivityDeps } from './deps';

/** Success milestones reached (on time or late) or missed, for the account and for CS leaders. */
export function createMilestoneActivities({ dataSource }: ActivityDeps) {
  return {
    /** One row per (run, step, visit); a repeat replaces it with the latest outcome. */
    async recordMilestone(input: RecordMilestoneInput): Promise<void> {
      await repositories(dataSource.manager).milestones.upsert({
        runId: input.runId,
        nodeId: input.stepId,
        visit: input.visit,
        accountId: input.accountId,
        playbookVersionId: input.playbookVersionId,
        name: input.name,
        targetDay: input.targetDay,
        status: input.status,
        day: input.day,
        reason: input.reason,
        recordedAt: new Date(input.at),
      });
    },
  };
}
