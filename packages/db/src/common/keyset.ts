/**
 * Keyset pages: every list reads `limit + 1` rows after the last row of the previous page, in one
 * stable order that ends in the id (never OFFSET, which skips or repeats rows as they change).
 */
export interface KeysetPage<Key> {
  /** Rows to read: the page's limit plus one, to know whether more follow. */
  take: number;
  /** The sort key and id of the previous page's last row; absent on the first page. */
  after?: Key & { id: string };
}

/** `%text%` for ILIKE, with the text's own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The time of the row a cursor names, at the database's full (microsecond) precision: a cursor
 * carries milliseconds, and two rows within one millisecond would otherwise fall between pages.
 * Falls back to the cursor's own time when the row is gone.
 */
export function exactTimeOf(table: string, column: string, atParam: string, idParam: string): string {
  return `coalesce((SELECT k.${column} FROM ${table} k WHERE k.id = :${idParam}::uuid), :${atParam}::timestamptz)`;
}
