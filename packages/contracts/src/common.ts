import { z } from 'zod';

export const uuidSchema = z.uuid();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** The body of every 4xx/5xx answer. `issues` names each offending field (and node, for playbooks). */
export const apiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  issues: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        code: z.string().optional(),
        nodeId: z.string().optional(),
        edgeId: z.string().optional(),
      }),
    )
    .default([]),
  /** On a 403: the permission the request needed (`playbooks:publish`). */
  permission: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const idParamSchema = z.object({ id: uuidSchema }).strict();
