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

/** Documents a response from its contract schema. */
export function ApiZodResponse(status: number, schema: z.ZodType, description = 'OK') {
  return ApiResponse({ status, description, schema: toJsonSchema(schema, 'output') });
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
