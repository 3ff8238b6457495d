import type { ApiError } from '@cairn/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from './errors';

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
      return { statusCode: exception.statusCode, error: exception.error, message: exception.message, issues: exception.issues };
    }
    if (exception instanceof HttpException) {
      // Framework errors: unknown route, malformed JSON body, payload too large…
      const status = exception.getStatus();
      const message = status === 400 ? 'The request body is not valid JSON' : exception.message;
      if (status >= 500) this.logger.error(exception.message, exception.stack);
      return { statusCode: status, error: status === 404 ? 'not_found' : 'http_error', message, issues: [] };
    }
    this.logger.error(exception instanceof Error ? exception.message : String(exception), exception instanceof Error ? exception.stack : undefined);
    return { statusCode: 500, error: 'internal_error', message: 'Something went wrong on our side; it has been logged', issues: [] };
  }
}
