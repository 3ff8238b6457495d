import { ValidationError } from './errors';

const UUID = /^[0-9a-f-]{36}$/i;

function invalidCursor(): never {
  throw new ValidationError('The cursor is not one this API gave out', [{ path: 'query.cursor', code: 'invalid_cursor', message: 'Pass the nextCursor of the previous page unchanged' }]);
}

/** Where a page continues: `[key, id]` of its last row (the sort key and the tie-breaking id), as base64url. */
export function encodeKeyCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/** The position a key cursor names; a cursor this API did not give out is a 400 on `query.cursor`. */
export function decodeKeyCursor(cursor: string): { key: string; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && typeof id === 'string' && UUID.test(id)) return { key, id };
  } catch {
    // fall through
  }
  return invalidCursor();
}

/** Where a newest-first page continues: `[at ISO, id]` of its last row, as base64url. */
export function encodeCursor(at: Date, id: string): string {
  return encodeKeyCursor(at.toISOString(), id);
}

/** The position a time cursor names; a cursor this API did not give out is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  const { key, id } = decodeKeyCursor(cursor);
  if (Number.isNaN(Date.parse(key))) return invalidCursor();
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
