import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { apiErrorSchema } from '@cairn/contracts';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io, target: 'openapi-3.0' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Documents a request body from the same zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType, description?: string) {
  return applyDecorators(
    ApiBody({ description, schema: toJsonSchema(schema, 'input') }),
    ApiBadRequestResponse({ description: 'Invalid request: `issues[].path` names each offending field', schema: toJsonSchema(apiErrorSchema, 'output') }),
  );
}

/** The response schemas a handler declares, read by the response validation interceptor. */
export const RESPONSE_SCHEMAS = Symbol('cairn:response-schemas');
export interface DeclaredResponse {
  status: number;
  schema: z.ZodType;
}

/** The responses `handler` declares with `ApiZodResponse` (decorators apply bottom up). */
export function declaredResponses(handler: object): DeclaredResponse[] {
  return (Reflect.getMetadata(RESPONSE_SCHEMAS, handler) as DeclaredResponse[] | undefined) ?? [];
}

/**
 * Documents a response from its contract schema, and declares it: the response validation
 * interceptor checks what the handler returns against it (common/response-validation.ts).
 */
export function ApiZodResponse(status: number, schema: z.ZodType, description = 'OK') {
  const declare: MethodDecorator = (_target, _key, descriptor) => {
    Reflect.defineMetadata(RESPONSE_SCHEMAS, [...declaredResponses(descriptor.value as object), { status, schema }], descriptor.value as object);
  };
  return applyDecorators(ApiResponse({ status, description, schema: toJsonSchema(schema, 'output') }), declare);
}

/** Documents a 204 answer: nothing in the body (so nothing for the response validation to check). */
export function ApiNoContent(description: string) {
  return ApiResponse({ status: 204, description });
}

/** Documents the `:id` path parameter (a uuid). */
export function ApiIdParam(what: string) {
  return ApiParam({ name: 'id', description: `The ${what} id`, schema: { type: 'string', format: 'uuid' } });
}

/** Documents the optional query parameters of a strict zod object schema. */
export function ApiZodQuery(schema: z.ZodObject) {
  return applyDecorators(
    ...Object.entries(schema.shape).map(([name, field]) => ApiQuery({ name, required: false, schema: toJsonSchema(field as z.ZodType, 'input') })),
  );
}

/** Documents an error answer with the shared error body. */
export function ApiErrorResponse(status: number, description: string) {
  return ApiResponse({ status, description, schema: toJsonSchema(apiErrorSchema, 'output') });
}
