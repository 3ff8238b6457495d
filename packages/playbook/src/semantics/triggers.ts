import { daysBetween } from './calendar';
const DAY_MS = 86_400_000;

/** How long after its day an account-date trigger still fires (a sweep missed, a date set late). */
export const ACCOUNT_DATE_CATCH_UP_DAYS = 30;

/** `renewal_date − 120 days`, `contract_start_date + 30 days`, `renewal_date`. */
export function accountDateOffsetText(field: string, offsetDays: number): string {
  if (offsetDays === 0) return field;
  return `${field} ${offsetDays > 0 ? '+' : '−'} ${Math.abs(offsetDays)} day${Math.abs(offsetDays) === 1 ? '' : 's'}`;
}

/** The calendar day an account-date trigger fires for an account, or null when the account has no such date. */
export function accountDateFireDay(trigger: { field: string; offsetDays: number }, dates: Readonly<Record<string, unknown>>): string | null {
  const value = dates[trigger.field];
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value.slice(0, 10)))) return null;
  return new Date(Date.parse(`${value.slice(0, 10)}T00:00:00Z`) + trigger.offsetDays * DAY_MS).toISOString().slice(0, 10);
}

export type AccountDateCheck = { due: true; fireDay: string; reason: string } | { due: false; fireDay: string | null; reason: string };

/**
 * Whether an account-date trigger is due for an account today (the account's today): from its
 * fire day to ACCOUNT_DATE_CATCH_UP_DAYS later. The reason is what the run records as why it
 * started: "renewal_date − 120 days = 2026-12-01".
 */
export function accountDateDue(trigger: { field: string; offsetDays: number }, dates: Readonly<Record<string, unknown>>, today: string, catchUpDays = ACCOUNT_DATE_CATCH_UP_DAYS): AccountDateCheck {
  const what = accountDateOffsetText(trigger.field, trigger.offsetDays);
  const fireDay = accountDateFireDay(trigger, dates);
  if (fireDay === null) return { due: false, fireDay, reason: `The account has no ${trigger.field}` };
  const late = daysBetween(fireDay, today);
  const reason = `${what} = ${fireDay}`;
  if (late < 0) return { due: false, fireDay, reason: `${reason}, in ${-late} day${late === -1 ? '' : 's'}` };
  if (late > catchUpDays) return { due: false, fireDay, reason: `${reason}, ${late} days ago (more than ${catchUpDays})` };
  return { due: true, fireDay, reason: late === 0 ? reason : `${reason} (${late} day${late === 1 ? '' : 's'} ago)` };
}
