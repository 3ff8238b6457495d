import { ValidationError } from './errors';

const UUID = /^[0-9a-f-]{36}$/i;

function invalidCursor(): never {
  throw new ValidationError('The cursor is not one this API gave out', [{ path: 'query.cursor', code: 'invalid_cursor', message: 'Pass the nextCursor of the previous page unchanged' }]);
}

/** Where a page continues: `[key, id]` of its last row (the sort key and the tie-breaking id), as base64url. */
export function encodeKeyCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/**
 * The position a key cursor names; a cursor this API did not give out is a 400 on `query.cursor`.
 * `idPattern` is what the tie-breaking id looks like (a uuid, unless the list's rows have text keys).
 */
export function decodeKeyCursor(cursor: string, idPattern: RegExp = UUID): { key: string; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // A NUL cannot reach Postgres text; no key this API gives out has one.
    if (typeof key === 'string' && !key.includes('\u0000') && typeof id === 'string' && idPattern.test(id)) return { key, id };
  } catch {
    // fall through
  }
  return invalidCursor();
}

/** The position a cursor over an integer sort key (a priority, a position) names; anything else is a 400 on `query.cursor`. */
export function decodeIntKeyCursor(cursor: string, idPattern: RegExp = UUID): { key: number; id: string } {
  const { key, id } = decodeKeyCursor(cursor, idPattern);
  const n = Number(key);
  if (!/^-?\d{1,9}$/.test(key) || !Number.isSafeInteger(n)) return invalidCursor();
  return { key: n, id };
}

/** Where a newest-first page continues: `[at ISO, id]` of its last row, as base64url. */
export function encodeCursor(at: Date, id: string): string {
  return encodeKeyCursor(at.toISOString(), id);
}

/** The position a time cursor names; a cursor this API did not give out is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  const { key, id } = decodeKeyCursor(cursor);
  // Only the ISO form encodeCursor writes: anything else could reach Postgres as a time it cannot read.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(key) || Number.isNaN(Date.parse(key))) return invalidCursor();
  return { at: key, id };
}

/** Where a due-date-ordered page continues (inbox, approvals, tasks): the last row's due date (null: undated) and id. */
export function encodeDueCursor(dueAt: Date | null, id: string): string {
  return encodeKeyCursor(dueAt ? dueAt.toISOString() : '', id);
}

/** The position a due cursor names; a cursor this API did not give out is a 400 on `query.cursor`. */
export function decodeDueCursor(cursor: string): { dueAt: Date | null; id: string } {
  const { key, id } = decodeKeyCursor(cursor);
  if (key === '') return { dueAt: null, id };
  if (Number.isNaN(Date.parse(key))) return invalidCursor();
  return { dueAt: new Date(key), id };
}
