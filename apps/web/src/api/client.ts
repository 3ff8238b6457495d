import {
  type Account,
  accountSchema,
  type Approval,
  type ApprovalStatus,
  apiErrorSchema,
  approvalSchema,
  type DecideApprovalRequest,
  type Playbook,
  playbookSchema,
  type PlaybookSummary,
  type PlaybookVersion,
  playbookVersionSchema,
  playbookSummarySchema,
  type Run,
  runSchema,
  type RunSummary,
  runSummarySchema,
} from '@cairn/contracts';
import { z } from 'zod';

/** An error answer from the API, with the message written for people. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Calls the API under `/api` (proxied by Vite to the API process) and parses the answer with `schema`. */
async function request<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.output<S>> {
  const headers = { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.headers };
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { ...init, headers });
  } catch {
    throw new ApiRequestError('Cannot reach the Cairn API. Is it running?', 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body);
    throw new ApiRequestError(error.success ? error.data.message : `The server answered ${response.status}`, response.status);
  }
  // Responses are checked against the same contracts the API is built from: a mismatch is a bug
  // between the two, reported with where it is rather than as a blank page.
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiRequestError(`Unexpected answer from ${init?.method ?? 'GET'} /api${path}: ${issue?.path.map(String).join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, response.status);
  }
  return parsed.data;
}

const enc = encodeURIComponent;

/** Every API call the web app makes; each answer is parsed with its @cairn/contracts schema. */
export const api = {
  accounts: (): Promise<Account[]> => request(z.array(accountSchema), '/accounts'),
  playbooks: (): Promise<PlaybookSummary[]> => request(z.array(playbookSummarySchema), '/playbooks'),
  playbook: (id: string): Promise<Playbook> => request(playbookSchema, `/playbooks/${enc(id)}`),
  version: (id: string): Promise<PlaybookVersion> => request(playbookVersionSchema, `/playbook-versions/${enc(id)}`),
  runs: (): Promise<RunSummary[]> => request(z.array(runSummarySchema), '/runs'),
  run: (id: string): Promise<Run> => request(runSchema, `/runs/${enc(id)}`),
  approvals: (status: ApprovalStatus = 'pending'): Promise<Approval[]> => request(z.array(approvalSchema), `/approvals?status=${enc(status)}`),
  decide: (id: string, decision: DecideApprovalRequest): Promise<Approval> => request(approvalSchema, `/approvals/${enc(id)}/decision`, { method: 'POST', body: JSON.stringify(decision) }),
};
