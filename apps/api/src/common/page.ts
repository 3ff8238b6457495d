import type { Page } from '@cairn/contracts';

/**
 * A page from rows fetched with `limit + 1` (the extra row only says whether there is more):
 * `cursorOf` names where the next page starts, from the last row kept.
 */
export function pageOf<Row, Item>(found: readonly Row[], limit: number, toItem: (row: Row) => Item, cursorOf: (last: Row) => string): Page<Item> {
  const rows = found.slice(0, limit);
  return { items: rows.map(toItem), nextCursor: found.length > limit ? cursorOf(rows[rows.length - 1]) : null };
}
