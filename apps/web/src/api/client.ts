import {
  type Approval,
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

async function request<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.output<S>> {
  const response = await fetch(`/api${path}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body);
    throw new ApiRequestError(error.success ? error.data.message : `The server answered ${response.status}`, response.status);
  }
  // Responses are checked against the same contracts the API is built from.
  return schema.parse(body);
}

export const api = {
  playbooks: (): Promise<PlaybookSummary[]> => request(z.array(playbookSummarySchema), '/playbooks'),
  playbook: (id: string): Promise<Playbook> => request(playbookSchema, `/playbooks/${id}`),
  version: (id: string): Promise<PlaybookVersion> => request(playbookVersionSchema, `/playbook-versions/${id}`),
  runs: (): Promise<RunSummary[]> => request(z.array(runSummarySchema), '/runs'),
  run: (id: string): Promise<Run> => request(runSchema, `/runs/${id}`),
  approvals: (status = 'pending'): Promise<Approval[]> => request(z.array(approvalSchema), `/approvals?status=${status}`),
  decide: (id: string, decision: DecideApprovalRequest): Promise<Approval> => request(approvalSchema, `/approvals/${id}/decision`, { method: 'POST', body: JSON.stringify(decision) }),
};
