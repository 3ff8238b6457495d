import { repositories } from '@cairn/db';
import { accountDateDue, localDate } from '@cairn/playbook';
import type { TriggerActivities, TriggerEnrollmentSummary } from '@cairn/workflows';
import { log } from '@temporalio/activity';
import type { EnrollManyFn } from './deps';

/** enrollMany takes at most this many accounts per call. */
const CHUNK = 10_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Trigger passes: schedules enroll a playbook's audience; the hourly account-date pass enrolls
 * the accounts whose trigger day has come (in their own timezone). Both go through enrollMany, so
 * audience, re-entry and "one open run" rules apply, and a retried pass enrolls nobody twice.
 */
export function createTriggerActivities({ dataSource, enrollMany }: { dataSource: import('typeorm').DataSource; enrollMany?: EnrollManyFn }): TriggerActivities {
  const required = (): EnrollManyFn => {
    if (!enrollMany) throw new Error('This worker cannot enroll accounts (no enrollment service is configured)');
    return enrollMany;
  };

  async function enrollAll(playbookKey: string, accountIds: readonly string[], enrolledBy: string, reason: string, summary: TriggerEnrollmentSummary): Promise<void> {
    for (const part of chunks(accountIds)) {
      const result = await required()({ playbookKey, accountIds: part, enrolledBy, reason });
      summary.enrolled += result.enrolled.length;
      summary.skipped += result.skipped.length;
      summary.failed += result.failed.length;
    }
  }

  return {
    async enrollOnSchedule({ playbookKey, firedAt }) {
      const db = repositories(dataSource.manager);
      const summary: TriggerEnrollmentSummary = { playbookKey, considered: 0, enrolled: 0, skipped: 0, failed: 0 };
      const trigger = (await db.playbooks.latestTriggers('schedule')).find((t) => t.playbookKey === playbookKey);
      // Archived, unpublished, or no longer on a schedule: the API removes or pauses the schedule; a tick already under way does nothing.
      if (!trigger) {
        log.warn(`Schedule tick for ${playbookKey}, which no longer starts on a schedule: nothing enrolled`);
        return summary;
      }
      const accountIds = trigger.audience.length ? await db.segments.memberIdsOfKeys(trigger.audience) : await db.accounts.allIds();
      summary.considered = accountIds.length;
      const data = trigger.trigger as { cron?: string; timezone?: string };
      await enrollAll(playbookKey, accountIds, 'schedule', `Scheduled: ${data.cron} (${data.timezone ?? 'UTC'}), tick at ${firedAt}`, summary);
      return summary;
    },

    async enrollDueAccountDates({ firedAt }) {
      const db = repositories(dataSource.manager);
      const nowMs = Date.parse(firedAt);
      const summaries: TriggerEnrollmentSummary[] = [];
      for (const trigger of await db.playbooks.latestTriggers('account_date')) {
        const { field, offsetDays } = trigger.trigger as { field: string; offsetDays: number };
        const summary: TriggerEnrollmentSummary = { playbookKey: trigger.playbookKey, considered: 0, enrolled: 0, skipped: 0, failed: 0 };
        // Accounts due now, grouped by their reason (the day it fires): each run records why it started.
        const byReason = new Map<string, string[]>();
        for (const account of await db.accounts.withDate(field)) {
          const due = accountDateDue({ field, offsetDays }, { [field]: account.date }, localDate(nowMs, account.timezone));
          if (!due.due) continue;
          byReason.set(due.reason, [...(byReason.get(due.reason) ?? []), account.id]);
          summary.considered++;
        }
        for (const [reason, accountIds] of byReason) await enrollAll(trigger.playbookKey, accountIds, 'account_date', reason, summary);
        summaries.push(summary);
      }
      return summaries;
    },
  };
}
