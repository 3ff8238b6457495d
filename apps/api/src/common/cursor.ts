import { ValidationError } from './errors';

/** Where a newest-first page continues: `[at ISO, id]` of its last row, as base64url. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** The position a cursor names; a cursor this API did not give out is a 400 on `query.cursor`. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { at, id };
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not one this API gave out', [{ path: 'query.cursor', code: 'invalid_cursor', message: 'Pass the nextCursor of the previous page unchanged' }]);
}
