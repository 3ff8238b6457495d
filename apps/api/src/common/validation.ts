import { formatPath } from '@cairn/playbook';
import type { z } from 'zod';
import { ValidationError } from './errors';

/**
 * Parses a request part (body, params, query) with its contract schema, or throws a 400 whose
 * issues name each offending field, e.g. `body.accountId`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'params' | 'query'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
    const path = formatPath([part, ...issue.path]);
    return { path, code: issue.code, message: unknownKeys.length ? `Unknown field${unknownKeys.length > 1 ? 's' : ''}: ${unknownKeys.join(', ')}` : issue.message };
  });
  throw new ValidationError(`The request ${part} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
