/**
 * SQL shared by the approvals, tasks and inbox queries: the inbox order (due date, undated last,
 * then id) with its keyset, and the SLA states as conditions. Due dates compare at millisecond
 * precision, the precision cursors carry.
 */

/** Where a page continues: the last row's due date (null: undated) and id. */
export interface DueKeyset {
  dueAt: Date | null;
  id: string;
}

/** SLA states, as `slaStateOf` in @cairn/contracts defines them (kept in step by the API's tests). */
export type SlaStateFilter = 'on_time' | 'due_soon' | 'overdue' | 'escalated';

/** A small builder of positional parameters for raw SQL. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export const dueKey = (column: string) => `date_trunc('milliseconds', ${column})`;

/** Rows after `after` in the order `dueKey(due) NULLS LAST, id`. */
export function afterKeyset(due: string, id: string, after: DueKeyset, p: Params): string {
  const key = dueKey(due);
  if (after.dueAt === null) return `(${due} IS NULL AND ${id} > ${p.add(after.id)}::uuid)`;
  const at = p.add(after.dueAt.toISOString());
  return `(${key} > ${at}::timestamptz OR (${key} = ${at}::timestamptz AND ${id} > ${p.add(after.id)}::uuid) OR ${due} IS NULL)`;
}

/** The open rows in one SLA state at `now` (`level` is the escalation level column, or null for tasks). */
export function slaCondition(state: SlaStateFilter, due: string, level: string | null, now: Date, dueSoonMs: number, p: Params): string {
  const notEscalated = level ? `${level} = 0` : 'true';
  const at = () => `${p.add(now.toISOString())}::timestamptz`;
  const soon = () => `${p.add(new Date(now.getTime() + dueSoonMs).toISOString())}::timestamptz`;
  switch (state) {
    case 'escalated':
      return level ? `${level} > 0` : 'false';
    case 'overdue':
      return `(${notEscalated} AND ${due} <= ${at()})`;
    case 'due_soon':
      return `(${notEscalated} AND ${due} > ${at()} AND ${due} <= ${soon()})`;
    case 'on_time':
      return `(${notEscalated} AND (${due} IS NULL OR ${due} > ${soon()}))`;
  }
}
