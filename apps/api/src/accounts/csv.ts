import { parse } from 'csv-parse/sync';
import { ValidationError } from '../common/errors';

/** A zip archive's signature: an .xlsx workbook sent where a CSV belongs. */
const ZIP_SIGNATURE = 'PK\u0003\u0004';

/**
 * The records of a CSV text (RFC 4180: quoted commas, quotes doubled, line breaks inside quotes,
 * CRLF or LF, a UTF-8 byte order mark; a stray quote inside an unquoted value is kept). Rows may
 * be shorter or longer than the header: the import reports that per row. Text that cannot be cut
 * into rows (a quote never closed) is a 400 naming the line.
 */
export function readCsv(text: string): string[][] {
  if (text.startsWith(ZIP_SIGNATURE)) {
    throw new ValidationError('This is a spreadsheet workbook (.xlsx), not a CSV: save it as CSV (UTF-8) and send that', [{ path: 'body', code: 'not_csv', message: 'A workbook, not a CSV' }]);
  }
  try {
    return parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false }) as string[][];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`The CSV cannot be read: ${message}`, [{ path: 'body', code: 'malformed_csv', message }]);
  }
}
