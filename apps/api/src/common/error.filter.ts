import type { ApiError } from '@cairn/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ForbiddenError } from './errors';
import { BODY_LIMIT_LABEL } from './limits';
import { isDataException } from './postgres-errors';

/** An error from Express' body parser (http-errors): 413 too large, 415 unsupported charset… */
interface ClientHttpError {
  status: number;
  expose: true;
  message: string;
}

function isClientHttpError(error: unknown): error is ClientHttpError {
  const e = error as Partial<ClientHttpError> | null;
  return typeof e === 'object' && e !== null && e.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500;
}

const codeByStatus: Record<number, string> = { 404: 'not_found', 405: 'method_not_allowed', 413: 'payload_too_large', 415: 'unsupported_media_type' };

/** What a 413 from a parser (body-parser's "request entity too large", multer's "File too large") says, in our words. */
const TOO_LARGE = `The request body is larger than ${BODY_LIMIT_LABEL}, the most one request may carry`;

const MULTIPART_REFUSALS = /^(Unexpected file field|Too many files|Too many parts|Too many fields|Field name missing|Multipart|Malformed part header|Unexpected end of (form|file))/i;

/** One place maps every error to the API's error body; internals are logged, never returned. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (exception instanceof DomainError) for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ApiError {
    if (exception instanceof DomainError) {
      if (exception.statusCode >= 500) this.logger.error(exception.message, exception.cause instanceof Error ? exception.cause.stack : undefined);
      const body: ApiError = { statusCode: exception.statusCode, error: exception.error, message: exception.message, issues: exception.issues };
      return exception instanceof ForbiddenError && exception.permission ? { ...body, permission: exception.permission } : body;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      // Framework errors: unknown route, malformed JSON body (Nest maps body-parser's SyntaxError
      // to a 400), an undecodable path parameter.
      const status = exception.getStatus();
      if (status === 400) {
        if (/JSON/i.test(exception.message)) return { statusCode: 400, error: 'malformed_json', message: 'The request body is not valid JSON', issues: [] };
        // Multer's words for a form it will not read (a file under another field name, two files).
        if (MULTIPART_REFUSALS.test(exception.message)) return { statusCode: 400, error: 'bad_upload', message: `The upload cannot be read (${exception.message}): send one file, in the form field "file"`, issues: [] };
        return { statusCode: 400, error: 'bad_request', message: 'The request is malformed', issues: [] };
      }
      return { statusCode: status, error: codeByStatus[status] ?? 'http_error', message: status === 413 ? TOO_LARGE : exception.message, issues: [] };
    }
    if (isClientHttpError(exception)) {
      return { statusCode: exception.status, error: codeByStatus[exception.status] ?? 'http_error', message: exception.status === 413 ? TOO_LARGE : exception.message, issues: [] };
    }
    if (isDataException(exception)) {
      // A value the database refused that the request checks let through: the client's input, so
      // a 400; what Postgres said (which may quote the value or the query) goes to the log only.
      const error = exception as Error & { driverError: { code: string } };
      this.logger.warn(`Postgres refused a value (SQLSTATE ${error.driverError.code}): ${error.message}`);
      return { statusCode: 400, error: 'invalid_value', message: 'A value in the request cannot be stored: check text for NUL characters and numbers for their range', issues: [] };
    }
    this.logger.error(exception instanceof Error ? exception.message : String(exception), exception instanceof Error ? exception.stack : undefined);
    return { statusCode: 500, error: 'internal_error', message: 'Something went wrong on our side; it has been logged', issues: [] };
  }
}
