import { diagnosticSchema, playbookDocumentSchema } from '@cairn/playbook';
import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from './common';

/** POST /api/playbooks. The key and name come from the document itself. */
export const createPlaybookRequestSchema = z.object({ document: z.unknown() }).strict();
export type CreatePlaybookRequest = z.infer<typeof createPlaybookRequestSchema>;

/** PUT /api/playbooks/:id/draft: replaces the editable draft; published versions never change. */
export const updateDraftRequestSchema = createPlaybookRequestSchema;

export const playbookVersionSummarySchema = z.object({
  id: uuidSchema,
  version: z.number().int().positive(),
  hash: z.string(),
  publishedAt: isoDateTimeSchema,
  publishedBy: z.string().nullable(),
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
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
});
export type Playbook = z.infer<typeof playbookSchema>;

export const playbookSummarySchema = playbookSchema.omit({ draft: true, versions: true }).extend({
  latestVersion: z.number().int().nullable(),
});
export type PlaybookSummary = z.infer<typeof playbookSummarySchema>;

/** POST /api/playbooks/:id/publish */
export const publishRequestSchema = z
  .object({
    /** Who published, recorded on the version (explainability). */
    publishedBy: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type PublishRequest = z.infer<typeof publishRequestSchema>;

/** POST /api/playbooks/:id/publish answer: the new immutable version. */
export const publishResponseSchema = playbookVersionSummarySchema.extend({
  playbookId: uuidSchema,
  warnings: z.array(diagnosticSchema),
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
