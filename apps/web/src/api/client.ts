import {
  type Account,
  type AccountFieldPage,
  accountFieldPageSchema,
  type BulkEnrollRequest,
  type BulkEnrollResponse,
  bulkEnrollResponseSchema,
  type EnrollRequest,
  type AccountEventPage,
  accountEventPageSchema,
  type AccountPage,
  accountPageSchema,
  type ApiError,
  accountSchema,
  type CancelRunRequest,
  type CompleteTaskRequest,
  type ManagedUserPage,
  managedUserPageSchema,
  type PreviewSegmentRequest,
  type ReassignRequest,
  type SegmentPage,
  segmentPageSchema,
  type SegmentPreview,
  segmentPreviewSchema,
  type SentEmailPage,
  sentEmailPageSchema,
  type SnoozeRequest,
  type SnoozeResponse,
  snoozeResponseSchema,
  type SuccessPlan,
  successPlanSchema,
  type Task,
  taskSchema,
  type WorkItemComment,
  workItemCommentPageSchema,
  workItemCommentSchema,
  type WorkItemKind,
  type Approval,
  type ApprovalStatus,
  apiErrorSchema,
  approvalPageSchema,
  approvalSchema,
  type DecideApprovalRequest,
  type InboxItem,
  inboxPageSchema,
  type InboxView,
  type Page,
  type Playbook,
  playbookSchema,
  type PlaybookSummaryPage,
  playbookSummaryPageSchema,
  type PlaybookVersion,
  playbookVersionSchema,
  type Run,
  runSchema,
  type RunSummaryPage,
  runSummaryPageSchema,
  type Session,
  sessionSchema,
} from '@cairn/contracts';
import { z } from 'zod';
import { getSession, setSession } from './session';

/** An error answer from the API, with the message written for people. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Field by field (and, for a playbook refused at publish, step by step), when the API says. */
    readonly issues: ApiError['issues'] = [],
  ) {
    super(message);
  }
}

async function send(path: string, init: RequestInit | undefined, accessToken: string | null): Promise<Response> {
  const headers = {
    accept: 'application/json',
    ...(init?.body ? { 'content-type': 'application/json' } : {}),
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    ...init?.headers,
  };
  try {
    return await fetch(`/api${path}`, { ...init, headers });
  } catch {
    throw new ApiRequestError('Cannot reach the Cairn API. Is it running?', 0);
  }
}

/** One refresh at a time: requests that get 401 together wait for the same new session. */
let refreshing: Promise<Session | null> | null = null;

/**
 * Trades the refresh token for a new session (the old refresh token stops working). Null, and
 * signed out, when the sign-in is over (expired, signed out elsewhere, deactivated).
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return null;
    const response = await send('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) }, null);
    const parsed = sessionSchema.safeParse(await response.json().catch(() => null));
    // Another tab or a sign-out may have replaced the session meanwhile: keep theirs.
    if (getSession() !== session) return getSession();
    setSession(response.ok && parsed.success ? parsed.data : null);
    return getSession();
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Calls the API under `/api` (proxied by Vite to the API process) as the signed-in person and
 * parses the answer with `schema`. A 401 refreshes the session once and retries; if the sign-in is
 * over, the session is cleared (the app shows the sign-in page).
 */
export async function request<S extends z.ZodType>(schema: S, path: string, init?: RequestInit, options: { anonymous?: boolean } = {}): Promise<z.output<S>> {
  const session = options.anonymous ? null : getSession();
  let response = await send(path, init, session?.accessToken ?? null);
  if (response.status === 401 && session) {
    const renewed = await refreshSession();
    if (!renewed) throw new ApiRequestError('Your sign-in has ended; sign in again', 401);
    response = await send(path, init, renewed.accessToken);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = apiErrorSchema.safeParse(body);
    throw new ApiRequestError(error.success ? error.data.message : `The server answered ${response.status}`, response.status, error.success ? error.data.issues : []);
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

/** A list's query string: its filters, `limit` and `cursor` (the previous page's nextCursor); unset ones are left out. */
export function listQuery(params: Record<string, string | number | boolean | undefined>): string {
  const given = Object.entries(params).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '');
  return given.length ? `?${new URLSearchParams(given.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** Filters and position of a list page (each list's filters are in its contract's query schema). */
export type ListParams = Record<string, string | number | boolean | undefined> & { cursor?: string; limit?: number };

/** Signs in; the session is kept for this tab. A wrong email or password is a 401 with one message. */
async function signIn(email: string, password: string): Promise<Session> {
  const session = await request(sessionSchema, '/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) }, { anonymous: true });
  setSession(session);
  return session;
}

/** Ends the sign-in on the server (its access tokens stop working too) and forgets it here. */
async function signOut(): Promise<void> {
  const session = getSession();
  setSession(null);
  if (session) await send('/auth/logout', { method: 'POST', body: JSON.stringify({ refreshToken: session.refreshToken }) }, null).catch(() => undefined);
}

/** Every API call the web app makes; each answer is parsed with its @cairn/contracts schema. */
export const api = {
  signIn,
  signOut,
  accounts: (params: ListParams = {}): Promise<AccountPage> => request(accountPageSchema, `/accounts${listQuery(params)}`),
  playbooks: (params: ListParams = {}): Promise<PlaybookSummaryPage> => request(playbookSummaryPageSchema, `/playbooks${listQuery(params)}`),
  playbook: (id: string): Promise<Playbook> => request(playbookSchema, `/playbooks/${enc(id)}`),
  version: (id: string): Promise<PlaybookVersion> => request(playbookVersionSchema, `/playbook-versions/${enc(id)}`),
  runs: (params: ListParams = {}): Promise<RunSummaryPage> => request(runSummaryPageSchema, `/runs${listQuery(params)}`),
  run: (id: string): Promise<Run> => request(runSchema, `/runs/${enc(id)}`),
  approvals: (status: ApprovalStatus = 'pending'): Promise<Page<Approval>> => request(approvalPageSchema, `/approvals?status=${enc(status)}`),
  /** Pending approvals and open tasks, due first (the first 200). */
  inbox: (view: InboxView): Promise<Page<InboxItem>> => request(inboxPageSchema, `/inbox?view=${enc(view)}&limit=200`),
  decide: (id: string, decision: DecideApprovalRequest): Promise<Approval> => request(approvalSchema, `/approvals/${enc(id)}/decision`, { method: 'POST', body: JSON.stringify(decision) }),
  completeTask: (id: string, body: CompleteTaskRequest): Promise<Task> => request(taskSchema, `/tasks/${enc(id)}/complete`, { method: 'POST', body: JSON.stringify(body) }),
  /** Hands an approval or a task to someone else (the answer is the item; only its kind's schema differs). */
  reassign: (kind: WorkItemKind, id: string, body: ReassignRequest): Promise<unknown> =>
    kind === 'approval' ? request(approvalSchema, `/approvals/${enc(id)}/reassign`, post(body)) : request(taskSchema, `/tasks/${enc(id)}/reassign`, post(body)),
  snooze: (kind: WorkItemKind, id: string, body: SnoozeRequest): Promise<SnoozeResponse> => request(snoozeResponseSchema, `/${itemPath(kind)}/${enc(id)}/snooze`, post(body)),
  comments: (kind: WorkItemKind, id: string): Promise<Page<WorkItemComment>> => request(workItemCommentPageSchema, `/${itemPath(kind)}/${enc(id)}/comments?limit=200`),
  comment: (kind: WorkItemKind, id: string, body: string): Promise<WorkItemComment> => request(workItemCommentSchema, `/${itemPath(kind)}/${enc(id)}/comments`, post({ body })),
  cancelRun: (id: string, body: CancelRunRequest): Promise<Run> => request(runSchema, `/runs/${enc(id)}/cancel`, post(body)),
  runEmails: (id: string): Promise<SentEmailPage> => request(sentEmailPageSchema, `/runs/${enc(id)}/emails?limit=200`),
  account: (id: string): Promise<Account> => request(accountSchema, `/accounts/${enc(id)}`),
  accountEvents: (id: string, params: ListParams = {}): Promise<AccountEventPage> => request(accountEventPageSchema, `/accounts/${enc(id)}/events${listQuery(params)}`),
  successPlan: (id: string): Promise<SuccessPlan> => request(successPlanSchema, `/accounts/${enc(id)}/success-plan`),
  segments: (params: ListParams = {}): Promise<SegmentPage> => request(segmentPageSchema, `/segments${listQuery(params)}`),
  previewSegment: (body: PreviewSegmentRequest): Promise<SegmentPreview> => request(segmentPreviewSchema, '/segments/preview', post(body)),
  /** Starts one run of the latest published version for an account (409 with the reason when it may not). */
  enroll: (playbookId: string, body: EnrollRequest): Promise<Run> => request(runSchema, `/playbooks/${enc(playbookId)}/enrollments`, post(body)),
  /** Enrolls a list of accounts or a segment's: each answered enrolled, skipped (and why) or failed. */
  enrollMany: (playbookId: string, body: BulkEnrollRequest): Promise<BulkEnrollResponse> => request(bulkEnrollResponseSchema, `/playbooks/${enc(playbookId)}/enrollments/bulk`, post(body)),
  /** The workspace's account attributes (built-in and its own), in position order. */
  accountFields: (params: ListParams = {}): Promise<AccountFieldPage> => request(accountFieldPageSchema, `/account-fields${listQuery(params)}`),
  /** Everyone (admins only: `users:manage`). */
  users: (params: ListParams = {}): Promise<ManagedUserPage> => request(managedUserPageSchema, `/users${listQuery(params)}`),
};

function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

function itemPath(kind: WorkItemKind): string {
  return kind === 'approval' ? 'approvals' : 'tasks';
}
