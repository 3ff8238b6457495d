import { diagnosticSchema, playbookDocumentSchema, playbookEdgeSchema, playbookNodeSchema } from '@cairn/playbook';
import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

/** POST /api/playbooks. The key and name come from the document itself. */
export const createPlaybookRequestSchema = z.object({ document: z.unknown() }).strict();
export type CreatePlaybookRequest = z.infer<typeof createPlaybookRequestSchema>;

/**
 * PUT /api/playbooks/:id/draft: replaces the editable draft (the editor autosaves); published
 * versions never change. With `baseRevision`, a save over a draft someone saved since is refused (409).
 */
export const updateDraftRequestSchema = z
  .object({
    document: z.unknown(),
    /** The `draftRevision` the editor loaded. */
    baseRevision: z.number().int().positive().optional(),
  })
  .strict();
export type UpdateDraftRequest = z.infer<typeof updateDraftRequestSchema>;

export const playbookVersionSummarySchema = z.object({
  id: uuidSchema,
  version: z.number().int().positive(),
  hash: z.string(),
  publishedAt: isoDateTimeSchema,
  publishedBy: z.string().nullable(),
  /** What changed and why, in the publisher's words. */
  note: z.string(),
});
export type PlaybookVersionSummary = z.infer<typeof playbookVersionSummarySchema>;

/** GET /api/playbook-versions/:id: an immutable version with the document as published. */
export const playbookVersionSchema = playbookVersionSummarySchema.extend({
  playbookId: uuidSchema,
  document: playbookDocumentSchema,
});
export type PlaybookVersion = z.infer<typeof playbookVersionSchema>;

export const playbookSchema = z.object({
  id: uuidSchema,
  key: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.string(),
  /** The draft as the editor saved it; may be invalid until published. */
  draft: playbookDocumentSchema,
  versions: z.array(playbookVersionSummarySchema),
  /** Raised by each draft save; send it back as `baseRevision`. */
  draftRevision: z.number().int(),
  archivedAt: isoDateTimeSchema.nullable(),
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Playbook = z.infer<typeof playbookSchema>;

/** The answer to a draft save: the playbook, and what the compiler says of the draft now. */
export const savedDraftSchema = playbookSchema.extend({ diagnostics: z.array(diagnosticSchema) });
export type SavedDraft = z.infer<typeof savedDraftSchema>;

export const listPlaybooksQuerySchema = z.object({ includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').default(false) }).strict();
export type ListPlaybooksQuery = z.output<typeof listPlaybooksQuerySchema>;

export const playbookSummarySchema = playbookSchema.omit({ draft: true, versions: true, draftRevision: true }).extend({
  latestVersion: z.number().int().nullable(),
});
export type PlaybookSummary = z.infer<typeof playbookSummarySchema>;

/** POST /api/playbooks/:id/publish */
export const publishRequestSchema = z
  .object({
    // Who published is the signed-in person, recorded on the version (explainability).
    /** What changed and why: shown in the version history. */
    note: z.string().trim().max(2_000).default(''),
    /**
     * Runs of earlier versions still going: `finish` lets them finish on their version (the
     * default); `exit` stops them now (recorded on each run as why).
     */
    inFlight: z.enum(['finish', 'exit']).default('finish'),
  })
  .strict();
export type PublishRequest = z.infer<typeof publishRequestSchema>;

/** POST /api/playbooks/:id/publish answer: the new immutable version. */
export const publishResponseSchema = playbookVersionSummarySchema.extend({
  playbookId: uuidSchema,
  warnings: z.array(diagnosticSchema),
  /** Runs of earlier versions when it was published, and how many were stopped. */
  inFlight: z.object({ policy: z.enum(['finish', 'exit']), running: z.number().int(), exited: z.number().int() }),
});
export type PublishResponse = z.infer<typeof publishResponseSchema>;

/** POST /api/playbooks/:id/enrollments: start one run of the latest published version for an account. */
export const enrollRequestSchema = z
  .object({
    accountId: uuidSchema,
    /** Why the account is enrolled, recorded on the run (explainability). */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

/** GET /api/playbooks/:id/diff?from=&to=: a version number or `draft` on each side. */
export const playbookDiffQuerySchema = z
  .object({
    /** Default: the latest published version. */
    from: z.union([z.literal('draft'), z.coerce.number().int().positive()]).optional(),
    /** Default: the draft. */
    to: z.union([z.literal('draft'), z.coerce.number().int().positive()]).optional(),
  })
  .strict();
export type PlaybookDiffQuery = z.output<typeof playbookDiffQuerySchema>;

const fieldChangeSchema = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });

export const playbookDiffSchema = z.object({
  from: z.union([z.literal('draft'), z.number().int()]),
  to: z.union([z.literal('draft'), z.number().int()]),
  nodes: z.object({
    added: z.array(playbookNodeSchema),
    removed: z.array(playbookNodeSchema),
    changed: z.array(z.object({ id: z.string(), type: z.string(), changes: z.array(fieldChangeSchema), moved: z.boolean() })),
  }),
  edges: z.object({ added: z.array(playbookEdgeSchema), removed: z.array(playbookEdgeSchema) }),
  document: z.array(fieldChangeSchema),
  /** Only positions or names changed: runs would behave the same. */
  sameBehaviour: z.boolean(),
});
export type PlaybookDiffResponse = z.infer<typeof playbookDiffSchema>;

/** POST /api/playbooks/:id/archive */
export const archivePlaybookRequestSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export type ArchivePlaybookRequest = z.infer<typeof archivePlaybookRequestSchema>;
