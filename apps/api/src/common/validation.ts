import { findUnstorableText } from '@cairn/contracts';
import { formatPath } from '@cairn/playbook';
import { Body, Injectable, Param, type PipeTransform, Query } from '@nestjs/common';
import type { z } from 'zod';
import { type Issue, ValidationError } from './errors';

export type RequestPart = 'body' | 'params' | 'query';

/**
 * Parses a request part (body, params, query) with its contract schema, or throws a 400 whose
 * issues name each offending field, e.g. `body.accountId`. The contract schemas are strict, so a
 * field the client may not set (mass assignment) is named as `Unknown field "status"`. Text
 * Postgres cannot store (a NUL character, an unpaired surrogate) is refused first, wherever it is.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  // Text Postgres cannot store (NUL, a lone surrogate) anywhere in the part, even under a field the
  // schema keeps as free JSON (event data, rule values): a 400 here, never a 500 from the database.
  const unstorable = findUnstorableText(value);
  if (unstorable) {
    const issue: Issue = { path: formatPath([part, ...unstorable.path]), code: 'unstorable_text', message: unstorable.message };
    throw new ValidationError(`The request ${part} is invalid: ${issue.path}: ${issue.message}`, [issue]);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue): Issue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([part, ...issue.path, key]), code: issue.code, message: `Unknown field "${key}"` }));
    }
    return [{ path: formatPath([part, ...issue.path]), code: issue.code, message: issue.message }];
  });
  throw new ValidationError(`The request ${part} is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/** The Nest pipe form of `parseRequest`, used at every boundary through the decorators below. */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    readonly schema: S,
    readonly part: RequestPart,
  ) {}

  transform(value: unknown): z.output<S> {
    return parseRequest(this.schema, value, this.part);
  }
}

/** `@ZodBody(enrollRequestSchema) body: EnrollRequest`: the whole body, parsed by its contract. */
export const ZodBody = (schema: z.ZodType) => Body(new ZodValidationPipe(schema, 'body'));
/** `@ZodParams(idParamSchema) { id }: IdParams`: all path parameters, parsed together. */
export const ZodParams = (schema: z.ZodType) => Param(new ZodValidationPipe(schema, 'params'));
/** `@ZodQuery(listRunsQuerySchema) query: ListRunsQuery`: the whole query string (unknown keys → 400). */
export const ZodQuery = (schema: z.ZodType) => Query(new ZodValidationPipe(schema, 'query'));
