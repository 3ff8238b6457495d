import type { ApiError } from '@cairn/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './errors';

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

/** One place maps every error to the API's error body; internals are logged, never returned. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ApiError {
    if (exception instanceof DomainError) {
      if (exception.statusCode >= 500) this.logger.error(exception.message, exception.cause instanceof Error ? exception.cause.stack : undefined);
      return { statusCode: exception.statusCode, error: exception.error, message: exception.message, issues: exception.issues };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      // Framework errors: unknown route, malformed JSON body (Nest maps body-parser's SyntaxError
      // to a 400), an undecodable path parameter.
      const status = exception.getStatus();
      if (status === 400) {
        return /JSON/i.test(exception.message)
          ? { statusCode: 400, error: 'malformed_json', message: 'The request body is not valid JSON', issues: [] }
          : { statusCode: 400, error: 'bad_request', message: 'The request is malformed', issues: [] };
      }
      return { statusCode: status, error: codeByStatus[status] ?? 'http_error', message: exception.message, issues: [] };
    }
    if (isClientHttpError(exception)) {
      return { statusCode: exception.status, error: codeByStatus[exception.status] ?? 'http_error', message: exception.message, issues: [] };
    }
    this.logger.error(exception instanceof Error ? exception.message : String(exception), exception instanceof Error ? exception.stack : undefined);
    return { statusCode: 500, error: 'internal_error', message: 'Something went wrong on our side; it has been logged', issues: [] };
  }
}
