import { QueryFailedError } from 'typeorm';

/** True when Postgres refused a write because of a unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/**
 * True when Postgres refused a value itself (SQLSTATE class 22, data exception: a NUL in text
 * 22021, in jsonb 22P05, a lone surrogate in jsonb 22P02, an integer out of range 22003, a date
 * out of range 22008…). The request boundary refuses these first; this is the backstop that makes
 * any one it misses a 400 instead of a 500.
 */
export function isDataException(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}
