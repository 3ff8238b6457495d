import { ACCOUNT_DATE_SCHEDULE_ID, ACCOUNT_DATE_TRIGGERS_WORKFLOW } from '@cairn/workflows';
import { type Client, ScheduleAlreadyRunning, type ScheduleDescription, ScheduleOverlapPolicy, type ScheduleUpdateOptions } from '@temporalio/client';

/**
 * The Temporal Schedule of the account-date pass: every `everyMinutes` (60 by default) it starts
 * `accountDateTriggers`, which enrolls the accounts whose trigger day has come in their timezone.
 * Created by the worker at start (or brought in line with its interval and task queue); a pass
 * still running when the next is due skips that one.
 */
export async function ensureAccountDateSchedule(client: Client, taskQueue: string, everyMinutes = 60): Promise<'created' | 'updated'> {
  const spec = { intervals: [{ every: everyMinutes * 60_000 }] };
  const action = { type: 'startWorkflow' as const, workflowType: ACCOUNT_DATE_TRIGGERS_WORKFLOW, args: [], taskQueue, workflowId: `${ACCOUNT_DATE_SCHEDULE_ID}:pass` };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMinutes * 60_000 };
  try {
    await client.schedule.create({ scheduleId: ACCOUNT_DATE_SCHEDULE_ID, spec, action, policies, state: { note: 'Cairn: playbooks triggered by account dates' } });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(ACCOUNT_DATE_SCHEDULE_ID).update((previous: ScheduleDescription): ScheduleUpdateOptions => ({ ...previous, spec, action, policies }));
    return 'updated';
  }
}
