import { playbookScheduleId, SCHEDULED_ENROLLMENT_WORKFLOW, type ScheduledEnrollmentInput } from '@cairn/workflows';
import { Inject, Injectable } from '@nestjs/common';
import { Client, type ScheduleDescription, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleUpdateOptions } from '@temporalio/client';
import { API_CONFIG, type ApiConfig } from '../config';
import { ServiceUnavailableError } from '../common/errors';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../temporal/temporal-errors';

/** A playbook's schedule trigger as its latest version has it. */
export interface ScheduleTrigger {
  cron: string;
  timezone: string;
}

/** What a sync did to the playbook's Temporal Schedule. */
export type ScheduleSync = 'created' | 'updated' | 'deleted' | 'paused' | 'none';

/**
 * Keeps each schedule-triggered playbook's Temporal Schedule (`cairn:schedule:<key>`) in step with
 * its latest published version: created or updated on publish (cron and timezone), deleted when a
 * version no longer starts on a schedule, paused while the playbook is archived. Each tick starts a
 * `scheduledEnrollment` workflow that enrolls the playbook's audience (skipping, by re-entry policy,
 * who is already in); overlapping ticks are skipped.
 */
@Injectable()
export class TriggerSchedules {
  constructor(
    @Inject(Client) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async sync(playbook: { key: string; name: string; archived: boolean }, trigger: ScheduleTrigger | null): Promise<ScheduleSync> {
    const handle = this.temporal.schedule.getHandle(playbookScheduleId(playbook.key));
    try {
      return await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, async () => {
        const existing = await handle.describe().catch((error: unknown) => {
          if (error instanceof ScheduleNotFoundError) return null;
          throw error;
        });
        if (!trigger) {
          if (!existing) return 'none';
          await handle.delete();
          return 'deleted';
        }
        const note = playbook.archived ? `${playbook.name} is archived` : `${playbook.name}: ${trigger.cron} (${trigger.timezone})`;
        if (!existing) {
          await this.temporal.schedule.create({ scheduleId: playbookScheduleId(playbook.key), ...this.options(playbook.key, trigger), state: { paused: playbook.archived, note } });
          return playbook.archived ? 'paused' : 'created';
        }
        await handle.update((previous: ScheduleDescription): ScheduleUpdateOptions => ({ ...previous, ...this.options(playbook.key, trigger), state: { ...previous.state, paused: playbook.archived, note } }));
        return playbook.archived ? 'paused' : 'updated';
      });
    } catch (error) {
      throw new ServiceUnavailableError(`The schedule of ${playbook.key} could not be set in Temporal (${error instanceof Error ? error.message : String(error)}); publish again to retry`, { cause: error });
    }
  }

  private options(playbookKey: string, trigger: ScheduleTrigger) {
    const args: [ScheduledEnrollmentInput] = [{ playbookKey }];
    return {
      spec: { cronExpressions: [trigger.cron], timezone: trigger.timezone },
      action: { type: 'startWorkflow' as const, workflowType: SCHEDULED_ENROLLMENT_WORKFLOW, args, taskQueue: this.config.taskQueue, workflowId: `${playbookScheduleId(playbookKey)}:tick` },
      // A tick still enrolling when the next comes skips that one; a tick missed while Temporal was down runs if within the hour.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 3_600_000 },
    };
  }
}

/** The schedule trigger in a plan's entry step data, if that is how it starts. */
export function scheduleTriggerOf(trigger: Record<string, unknown> | null | undefined): ScheduleTrigger | null {
  if (trigger?.on !== 'schedule' || typeof trigger.cron !== 'string') return null;
  return { cron: trigger.cron, timezone: typeof trigger.timezone === 'string' ? trigger.timezone : 'UTC' };
}
