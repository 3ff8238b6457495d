import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** Documents a request body in Swagger from the same zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType, description?: string) {
  return ApiBody({ description, schema: z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as object });
}
