/** Ranges of the five cron fields: minute, hour, day of month, month, day of week. */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function partValid(part: string, min: number, max: number): boolean {
  const [range, step] = part.split('/');
  if (step !== undefined && !/^\d+$/.test(step)) return false;
  if (range === '*') return true;
  const bounds = range.split('-');
  if (bounds.length > 2 || !bounds.every((b) => /^\d+$/.test(b))) return false;
  const [lo, hi = lo] = bounds.map(Number);
  return lo >= min && hi <= max && lo <= hi;
}

/** Checks a five-field cron expression ("0 9 * * 1" = Mondays at 09:00); returns a problem or null. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return `A schedule has five fields (minute hour day month weekday), not ${parts.length}`;
  for (let i = 0; i < 5; i++) {
    const { name, min, max } = FIELDS[i];
    if (!parts[i].split(',').every((p) => partValid(p, min, max))) return `The ${name} field "${parts[i]}" is not valid (${min}–${max}, *, lists, ranges, steps)`;
  }
  return null;
}
