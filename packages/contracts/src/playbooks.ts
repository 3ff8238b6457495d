import { diagnosticSchema, playbookDocumentSchema, playbookEdgeSchema, playbookNodeSchema } from '@cairn/playbook';
import { z } from 'zod';
import { filterTextSchema, isoDateTimeSchema, pageQueryFields, pageSchema, queryBooleanSchema, searchTextSchema, uuidSchema } from './common';
import { INT4_MAX } from './text';

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
    baseRevision: z.number().int().positive().max(INT4_MAX).optional(),
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

/** Where a playbook is in its life: never published, published (and live), or archived. */
export const playbookStatusSchema = z.enum(['draft', 'published', 'archived']);
export type PlaybookStatus = z.infer<typeof playbookStatusSchema>;

/**
 * `GET /api/playbooks`: by name (then id). Archived playbooks only with `includeArchived=true` or
 * `status=archived`; `q` searches the name and the key.
 */
export const listPlaybooksQuerySchema = z
  .object({
    includeArchived: queryBooleanSchema.default(false),
    status: playbookStatusSchema.optional(),
    q: searchTextSchema.optional(),
    kind: filterTextSchema.optional(),
    ...pageQueryFields,
  })
  .strict();
export type ListPlaybooksQuery = z.output<typeof listPlaybooksQuerySchema>;

/** `GET /api/playbooks/:id/versions?limit=&cursor=`: the published versions a page at a time, newest first. */
export const listPlaybookVersionsQuerySchema = z.object({ ...pageQueryFields }).strict();
export type ListPlaybookVersionsQuery = z.output<typeof listPlaybookVersionsQuerySchema>;
export const playbookVersionSummaryPageSchema = pageSchema(playbookVersionSummarySchema);
export type PlaybookVersionSummaryPage = z.infer<typeof playbookVersionSummaryPageSchema>;

export const playbookSummarySchema = playbookSchema.omit({ draft: true, versions: true, draftRevision: true }).extend({
  latestVersion: z.number().int().nullable(),
});
export type PlaybookSummary = z.infer<typeof playbookSummarySchema>;

export const playbookSummaryPageSchema = pageSchema(playbookSummarySchema);
export type PlaybookSummaryPage = z.infer<typeof playbookSummaryPageSchema>;

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
  /** What happened to the playbook's Temporal Schedule (schedule triggers): created, updated, deleted (no longer on a schedule) or none. */
  schedule: z.enum(['created', 'updated', 'deleted', 'paused', 'none']),
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

/** A version number in a query string: versions are stored as int4. */
const versionNumberQuerySchema = z.coerce.number().int().positive().max(INT4_MAX, `A version number is at most ${INT4_MAX}`);

/** GET /api/playbooks/:id/diff?from=&to=: a version number or `draft` on each side. */
export const playbookDiffQuerySchema = z
  .object({
    /** Default: the latest published version. */
    from: z.union([z.literal('draft'), versionNumberQuerySchema]).optional(),
    /** Default: the draft. */
    to: z.union([z.literal('draft'), versionNumberQuerySchema]).optional(),
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

/** At most this many accounts in one bulk enrollment (a list, or a segment's members). */
export const MAX_BULK_ENROLLMENT = 10_000;
/** Duplicate ids named in one 400 answer (the first ones). */
const MAX_DUPLICATES_NAMED = 100;

/**
 * POST /api/playbooks/:id/enrollments/bulk: enroll a list of accounts, or every account of a
 * segment, in the latest published version. Exactly one of `accountIds` and `segmentId`.
 */
export const bulkEnrollRequestSchema = z
  .object({
    /** 1 to 10,000 account ids, each once (compared without case; answered in lower case). */
    accountIds: z
      .array(uuidSchema.transform((id) => id.toLowerCase()))
      .min(1)
      .max(MAX_BULK_ENROLLMENT)
      .optional(),
    /** Every account in this segment (at most 10,000). */
    segmentId: uuidSchema.optional(),
    /** Why the accounts are enrolled, recorded on each run (explainability). */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    // Runs even when a field has its own issue (zod 4), so it reads only what it can trust.
    const hasIds = body.accountIds !== undefined;
    const hasSegment = body.segmentId !== undefined;
    if (hasIds === hasSegment) {
      const message = hasIds ? 'Give accountIds or segmentId, not both' : 'Give accountIds (a list of accounts) or segmentId (every account of a segment)';
      for (const path of ['accountIds', 'segmentId']) ctx.addIssue({ code: 'custom', path: [path], message });
    }
    if (!Array.isArray(body.accountIds)) return;
    const first = new Map<string, number>();
    let named = 0;
    body.accountIds.forEach((id, i) => {
      if (typeof id !== 'string') return;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, i);
      else if (named++ < MAX_DUPLICATES_NAMED) ctx.addIssue({ code: 'custom', path: ['accountIds', i], message: `Duplicate of accountIds[${seen}]; give each account once` });
    });
  });
export type BulkEnrollRequest = z.infer<typeof bulkEnrollRequestSchema>;

/** Why an account was not enrolled by a bulk enrollment. */
export const bulkSkipCodeSchema = z.enum(['already_running', 'reentry', 'audience', 'not_found']);

/** The answer to a bulk enrollment (200): each account once, in request order, in one of three lists. */
export const bulkEnrollResponseSchema = z.object({
  playbookId: uuidSchema,
  /** The published version the runs started on. */
  version: z.number().int(),
  /** The segment whose accounts were enrolled, when the request named one. */
  segment: z.object({ id: uuidSchema, key: z.string(), name: z.string() }).nullable(),
  counts: z.object({ requested: z.number().int(), enrolled: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  enrolled: z.array(z.object({ accountId: uuidSchema, runId: uuidSchema })),
  /** Not enrolled, and why: running already (`runId` names the run), re-entry policy, audience, no such account. */
  skipped: z.array(z.object({ accountId: uuidSchema, code: bulkSkipCodeSchema, reason: z.string(), runId: uuidSchema.nullable() })),
  /** The workflow did not start (its run was removed): send the same request again to retry them. */
  failed: z.array(z.object({ accountId: uuidSchema, code: z.enum(['temporal_unavailable', 'start_failed']), reason: z.string() })),
});
export type BulkEnrollResponse = z.infer<typeof bulkEnrollResponseSchema>;
