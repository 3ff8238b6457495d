import { formatPath } from '@cairn/playbook';
import { type CallHandler, type ExecutionContext, Inject, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { API_CONFIG, type ApiConfig } from '../config';
import { ResponseInvalidError, type Issue } from './errors';
import { type DeclaredResponse, declaredResponses } from './openapi';

/** The status a handler answers with when it returns: its `@HttpCode`, else Nest's default (201 for POST, 200 otherwise). */
function statusOf(handler: object, method: string): number {
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  return code ?? (method === 'POST' ? 201 : 200);
}

/** The schema of the status the handler answers with, or of its only success answer. */
export function schemaFor(declared: readonly DeclaredResponse[], status: number): DeclaredResponse | undefined {
  const success = declared.filter((d) => d.status >= 200 && d.status < 300);
  return success.find((d) => d.status === status) ?? (success.length === 1 ? success[0] : undefined);
}

/**
 * Checks what each handler returns against the zod schema its route declares (`ApiZodResponse`),
 * so the documented contract is the one served. With `validateResponses` (tests) a mismatch is a
 * 500 `response_invalid` naming each field (`response.items[0].slaState`), which fails the suite
 * that met it; otherwise it is logged and the answer goes out as it is.
 */
@Injectable()
export class ResponseValidationInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Responses');

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    const method = context.switchToHttp().getRequest<Request>().method;
    const declared = schemaFor(declaredResponses(handler), statusOf(handler, method));
    if (!declared) return next.handle();
    const route = `${method} ${context.getClass().name}.${handler.name}`;
    return next.handle().pipe(
      map((value: unknown) => {
        // What the client reads is the JSON, so check that (dates as strings, undefined fields gone).
        const result = declared.schema.safeParse(value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
        if (result.success) return value;
        const issues: Issue[] = result.error.issues.map((i) => ({ path: formatPath(['response', ...i.path]), code: i.code, message: i.message }));
        const message = `The answer of ${route} does not match its ${declared.status} schema: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
        if (this.config.validateResponses) throw new ResponseInvalidError(message, issues);
        this.logger.warn(message);
        return value;
      }),
    );
  }
}
