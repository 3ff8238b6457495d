import type { DataSource } from 'typeorm';
import type { ChatNotifier, InAppMessenger, WebhookSender } from '../http';
import type { Mailer } from '../mail/mailer';

/** What enrolling an account in another playbook asks for (`@cairn/enrollment`'s request). */
export interface EnrollRequest {
  accountId: string;
  playbookKey: string;
  /** `run:<runId>`: the run that enrolled it. */
  enrolledBy: string;
  reason: string;
}

/** What `@cairn/enrollment` answers: a new run, or why none was started. */
export type EnrollmentResult = { status: 'enrolled'; runId: string; workflowId: string; version: number } | { status: 'skipped'; code: string; reason: string; runId?: string | null };

/** Enrolls an account in a playbook by key (bound to a Temporal client and the database). */
export type EnrollFn = (request: EnrollRequest) => Promise<EnrollmentResult>;

/** What enrolling many accounts at once asks for (`@cairn/enrollment`'s enrollMany). */
export interface EnrollManyRequest {
  playbookKey: string;
  accountIds: readonly string[];
  enrolledBy: string;
  reason: string;
}

/** Enrolls many accounts in one playbook (bound to a Temporal client and the database); what each account got. */
export type EnrollManyFn = (request: EnrollManyRequest) => Promise<{ enrolled: unknown[]; skipped: unknown[]; failed: unknown[] }>;

/** What the activities need from the outside world; tests pass real instances. */
export interface ActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
  /** Without it, `enroll` steps fail non-retryably with `EnrollmentUnavailable`. */
  enroll?: EnrollFn;
  /** Trigger passes (schedules, account dates) enroll through it; without it they fail. */
  enrollMany?: EnrollManyFn;
  /** Chat notifications (CAIRN_CHAT_WEBHOOK_URL); absent or not configured, chat touches are skipped. */
  chat?: ChatNotifier;
  /** In-app messages (CAIRN_IN_APP_WEBHOOK_URL); absent or not configured, in-app touches are skipped. */
  inApp?: InAppMessenger;
  /** Calls webhook steps' URLs; default: a sender with a 10 s timeout. */
  webhook?: WebhookSender;
}

