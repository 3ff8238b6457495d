import { formatPath } from '@cairn/playbook';
import type { z } from 'zod';
import { type Issue, ValidationError } from './errors';

/**
 * Parses a request part (body, params, query) with its contract schema, or throws a 400 whose
 * issues name each offending field, e.g. `body.accountId`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'params' | 'query'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue): Issue[] => {
    // Mass-assignment attempts: name every unknown field at its own path.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([part, ...issue.path, key]), code: issue.code, message: `Unknown field "${key}"` }));
    }
    return [{ path: formatPath([part, ...issue.path]), code: issue.code, message: issue.message }];
  });
  throw new ValidationError(`The request ${part} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
