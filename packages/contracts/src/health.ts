import { z } from 'zod';

/** `GET /api/health` (liveness) and `GET /api/health/ready` (readiness): the process serves, and whether Postgres and Temporal answer. */
export const healthSchema = z.object({ status: z.literal('ok'), database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) });
export type Health = z.infer<typeof healthSchema>;
