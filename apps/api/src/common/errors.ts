import type { ApiError } from '@cairn/contracts';

export type Issue = ApiError['issues'][number];

/** Errors the API means to return; anything else is a 500 with nothing internal in the body. */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly error: string;
  readonly issues: Issue[] = [];
  /** Response headers that go with the answer (WWW-Authenticate, Retry-After). */
  readonly headers: Record<string, string> = {};
}

export class ValidationError extends DomainError {
  readonly statusCode = 400;
  readonly error = 'validation_failed';
  constructor(message: string, override readonly issues: Issue[]) {
    super(message);
  }
}

/** A playbook that cannot be saved (malformed document) or published (compile errors). */
export class InvalidPlaybookError extends DomainError {
  readonly statusCode = 400;
  readonly error = 'invalid_playbook';
  constructor(
    override readonly issues: Issue[],
    problems = issues.length,
    action: 'saved' | 'published' = 'published',
  ) {
    super(`The playbook has ${problems} problem${problems === 1 ? '' : 's'} to fix before it can be ${action}`);
  }
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly error = 'not_found';
  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`);
  }
}

/** The request clashes with what is stored; `issues` names the field when one field is the cause (a duplicate email). */
export class ConflictError extends DomainError {
  readonly statusCode = 409;
  readonly error = 'conflict';
  override readonly issues: Issue[];
  constructor(message: string, options: ErrorOptions & { issues?: Issue[] } = {}) {
    super(message, options);
    this.issues = options.issues ?? [];
  }
}

/** A request body over what one request may carry (rows of an import, say): 413. */
export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
  readonly error = 'payload_too_large';
}

/** A body in a media type the endpoint does not read: 415. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly statusCode = 415;
  readonly error = 'unsupported_media_type';
}

/** A dependency the request needs (Temporal) cannot be reached; the request may be retried. */
export class ServiceUnavailableError extends DomainError {
  readonly statusCode = 503;
  readonly error = 'service_unavailable';
}

/** No credentials, or credentials that do not hold (expired, revoked, malformed): sign in again. */
export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
  readonly error = 'unauthorized';
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="cairn"' };
}

/** Signed in, but not allowed: the role or token lacks `permission`, or the row is not theirs. */
export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  readonly error = 'forbidden';
  constructor(
    message: string,
    readonly permission?: string,
  ) {
    super(message);
  }
}

/** Too many attempts (sign-in); `Retry-After` says when to try again. */
export class TooManyRequestsError extends DomainError {
  readonly statusCode = 429;
  readonly error = 'too_many_requests';
  override readonly headers: Record<string, string>;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

/** An answer that does not match the schema its route declares (only where responses are checked: tests). */
export class ResponseInvalidError extends DomainError {
  readonly statusCode = 500;
  readonly error = 'response_invalid';
  constructor(message: string, override readonly issues: Issue[]) {
    super(message);
  }
}
