import type { ApiError } from '@cairn/contracts';

export type Issue = ApiError['issues'][number];

/** Errors the API means to return; anything else is a 500 with nothing internal in the body. */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly error: string;
  readonly issues: Issue[] = [];
}

export class ValidationError extends DomainError {
  readonly statusCode = 400;
  readonly error = 'validation_failed';
  constructor(message: string, override readonly issues: Issue[]) {
    super(message);
  }
}

export class InvalidPlaybookError extends DomainError {
  readonly statusCode = 400;
  readonly error = 'invalid_playbook';
  constructor(override readonly issues: Issue[]) {
    super(`The playbook has ${issues.length} problem${issues.length === 1 ? '' : 's'} to fix before it can be published`);
  }
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly error = 'not_found';
  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`);
  }
}

export class ConflictError extends DomainError {
  readonly statusCode = 409;
  readonly error = 'conflict';
}
