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

/**
 * Every list answers one page shape: `items` in the list's order, and `nextCursor` to pass back as
 * `cursor` for the next page (null on the last). Cursors are opaque; a forged one is a 400 on
 * `query.cursor`.
 */
export const pageQueryFields = {
  /** Items per page. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `nextCursor` of the previous page, unchanged. */
  cursor: z.string().min(1).max(400).optional(),
};

export const pageSchema = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  });
export type Page<Item> = { items: Item[]; nextCursor: string | null };

/** A `true` / `false` query parameter. */
export const queryBooleanSchema = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Text a list filters on: Postgres text cannot hold a NUL character, so one is a 400, not a 500. */
export const filterTextSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((text) => !text.includes('\u0000'), { message: 'Text cannot contain a NUL character', abort: true });

/** `q`: text to search for, case-insensitive, anywhere in the fields a list names. */
export const searchTextSchema = filterTextSchema;

