import { z } from 'zod';

const UNIT_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
} as const;

const HUMAN = /^\s*(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\s*$/i;
const ISO = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

function unitOf(token: string): keyof typeof UNIT_MS {
  const t = token.toLowerCase();
  if (t.startsWith('w')) return 'week';
  if (t.startsWith('d')) return 'day';
  if (t.startsWith('h')) return 'hour';
  if (t === 'm' || t.startsWith('min')) return 'minute';
  return 'second';
}

/**
 * Parses a duration written the way CS ops write it ("3 days", "2 weeks", "36h") or as ISO 8601
 * ("P3D", "PT12H"). Returns milliseconds, or null when the text is not a duration.
 * Months and years are deliberately not accepted: their length varies, so use day counts.
 */
export function parseDuration(text: string): number | null {
  const human = HUMAN.exec(text);
  if (human) return Math.round(Number(human[1]) * UNIT_MS[unitOf(human[2])]);
  const iso = ISO.exec(text.trim().toUpperCase());
  if (!iso || text.trim().toUpperCase() === 'P' || /T$/.test(text.trim().toUpperCase())) return null;
  const [, w, d, h, m, s] = iso.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round(w * UNIT_MS.week + d * UNIT_MS.day + h * UNIT_MS.hour + m * UNIT_MS.minute + s * UNIT_MS.second);
}

/** A positive duration, e.g. "3 days" or "P3D". */
export const durationSchema = z
  .string()
  .trim()
  .min(1, 'Enter a duration such as "3 days" or "P3D"')
  .superRefine((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === null) ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. "3 days", "12 hours" or "P3D"` });
    else if (ms <= 0) ctx.addIssue({ code: 'custom', message: 'The duration must be longer than zero' });
  });

/** Milliseconds of a duration that already passed validation. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new Error(`invalid duration: ${text}`);
  return ms;
}
