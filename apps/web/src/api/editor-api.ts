import {
  type Playbook,
  type PlaybookDiffResponse,
  playbookDiffSchema,
  playbookSchema,
  type PublishRequest,
  type PublishResponse,
  publishResponseSchema,
  type SavedDraft,
  savedDraftSchema,
} from '@cairn/contracts';
import { request } from './client';

const enc = encodeURIComponent;

/** The calls the playbook editor makes (beside `api.playbook` to load one); answers parsed with @cairn/contracts. */
export const editorApi = {
  createPlaybook: (document: unknown): Promise<Playbook> => request(playbookSchema, '/playbooks', { method: 'POST', body: JSON.stringify({ document }) }),
  /** Saves the draft over `baseRevision`; a 409 means someone saved since. */
  saveDraft: (id: string, document: unknown, baseRevision: number): Promise<SavedDraft> =>
    request(savedDraftSchema, `/playbooks/${enc(id)}/draft`, { method: 'PUT', body: JSON.stringify({ document, baseRevision }) }),
  /** Publishes the saved draft; a 400 carries the compiler's issues, step by step. */
  publish: (id: string, body: Partial<PublishRequest>): Promise<PublishResponse> =>
    request(publishResponseSchema, `/playbooks/${enc(id)}/publish`, { method: 'POST', body: JSON.stringify(body) }),
  diff: (id: string, from: number | 'draft', to: number | 'draft' = 'draft'): Promise<PlaybookDiffResponse> =>
    request(playbookDiffSchema, `/playbooks/${enc(id)}/diff?from=${enc(String(from))}&to=${enc(String(to))}`),
};
