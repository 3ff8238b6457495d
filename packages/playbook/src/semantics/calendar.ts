/** Local wall-clock parts of an instant in a timezone (Intl: available in Node, browsers and Temporal's sandbox). */
function localParts(ms: number, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The calendar date (YYYY-MM-DD) of an instant in a timezone. */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / DAY_MS);
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** `days` business days (Monday to Friday) after `fromMs`, at the same time of day. */
export function addBusinessDays(fromMs: number, days: number, timeZone: string): number {
  let at = fromMs;
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    const { weekday } = localParts(at, timeZone);
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return at;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first instant at or after `ms` outside the quiet hours (`start`–`end`, local time, may span
 * midnight, e.g. 18:00–08:00): a touch due at 21:30 waits for 08:00.
 */
export function afterQuietHours(ms: number, quiet: { start: string; end: string }, timeZone: string): number {
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  const { minutes } = localParts(ms, timeZone);
  const inside = start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  if (!inside) return ms;
  const wait = (end - minutes + 1440) % 1440;
  return ms + wait * MINUTE_MS - (ms % MINUTE_MS);
}
