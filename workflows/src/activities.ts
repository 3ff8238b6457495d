/**
 * The side effects a playbook run performs, as the workflow sees them. The worker implements this
 * interface (`createActivities(deps)` in apps/worker); workflow code only imports the type.
 * Every call carries (runId, stepId, visit), the idempotency key that makes retries harmless.
 */
export interface StepRef {
  runId: string;
  stepId: string;
  /** How many times the run entered this step before (0 the first time; loops raise it). */
  visit: number;
}

/** What every side effect records for explainability: whose run, which version, why. */
export interface ActionContext extends StepRef {
  accountId: string;
  playbookVersionId: string;
  reason: string;
}

export interface RecordStepStartedInput extends StepRef {
  stepType: string;
  status: 'started' | 'waiting';
  reason: string;
  /** Workflow time, so history shows when the step began even if the activity runs late. */
  at: string;
}

export interface RecordStepCompletedInput extends StepRef {
  outcome: string;
  reason: string;
  at: string;
}

/** Step history written in one round trip: a step completing and the next starting (a local activity). */
export type StepRecord = ({ kind: 'started' } & RecordStepStartedInput) | ({ kind: 'completed' } & RecordStepCompletedInput);

/** What conditions read about the account, as the database has it now (the language's AccountSnapshot). */
export interface AccountFacts {
  name: string;
  segment: string;
  attributes: Record<string, string | number | boolean | null>;
  metrics: Record<string, number>;
  roles: string[];
  /** `*_date` attributes, ISO dates. */
  dates: Record<string, string>;
  timezone: string;
}

export type ApprovalAssignee = { kind: 'account_csm' } | { kind: 'role'; role: 'cs_manager' | 'executive_sponsor' } | { kind: 'user'; userId: string };

export interface OpenApprovalInput extends StepRef {
  accountId: string;
  playbookVersionId: string;
  title: string;
  assignee: ApprovalAssignee;
  /** When the approval ends on its own (SLA or final escalation step), or null. */
  dueAt: string | null;
  /** The touch that will be sent if approved, rendered for the account in the inbox. */
  proposedTouch: EmailTouch | ProposedTouch | null;
}

export interface OpenApprovalResult {
  approvalId: string;
  assigneeName: string | null;
  /** Present from the generic engine on; the validator lets the assignee (and managers) decide. */
  assigneeId?: string | null;
}

export interface EmailTouch {
  channel: 'email';
  to: string;
  subject: string;
  body: string;
}

/** Any touch as a step proposes it (templated; rendered by the activity for the account). */
export interface ProposedTouch {
  channel: 'email' | 'call' | 'meeting' | 'in_app' | 'chat';
  to: string;
  subject?: string;
  body: string;
}

export interface SendEmailInput extends StepRef {
  accountId: string;
  playbookVersionId: string;
  touch: EmailTouch;
  /** The approval that allowed this touch, if any (explainability). */
  approvalId: string | null;
  reason: string;
}

export interface SendEmailResult {
  sentEmailId: string;
  messageId: string | null;
  toAddress: string;
}

/** A non-email touch: chat and in-app messages are delivered; calls and meetings become a task for our side. */
export interface DeliverTouchInput extends ActionContext {
  touch: ProposedTouch & { channel: 'call' | 'meeting' | 'in_app' | 'chat' };
  approvalId: string | null;
}

export interface ActionResult {
  actionId: string;
  status: 'done' | 'failed' | 'skipped';
  /** In words, for the step's reason: "Posted to #cs-alerts", "Call task for Casey Morgan". */
  summary: string;
}

export interface EscalateApprovalInput extends ActionContext {
  approvalId: string;
  action: 'notify_manager' | 'reassign_to_manager';
  /** 1 for the first escalation step. */
  level: number;
}

export interface EscalateApprovalResult {
  /** Who may decide now (a reassignment changes it). */
  assigneeId: string | null;
  assigneeName: string | null;
  summary: string;
}

export interface ResolveApprovalInput {
  approvalId: string;
  resolution: 'expired' | 'auto_approved' | 'auto_skipped';
  reason: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export interface OpenTaskInput extends ActionContext {
  title: string;
  owner: { side: 'ours' | 'customer'; role: string };
  completion: 'person' | 'event' | 'condition';
  dueAt: string;
}

export interface OpenTaskResult {
  taskId: string;
  assigneeId: string | null;
  /** Who owns it, in words: "Casey Morgan (CSM)", "the customer's admin, Dana Ruiz". */
  ownerName: string;
}

export interface CloseTaskInput {
  taskId: string;
  status: 'done' | 'cancelled';
  reason: string;
  at: string;
}

export interface RecordMilestoneInput extends ActionContext {
  name: string;
  targetDay: number;
  status: 'reached_on_time' | 'reached_late' | 'missed';
  /** Days since enrollment, to the minute. */
  day: number;
  at: string;
}

export interface UpdateAccountInput extends ActionContext {
  change: { attribute: string; value: string | number | boolean | null };
}

export interface CallWebhookInput extends ActionContext {
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  /** Templated JSON; the activity renders it and adds the `cairn` fields. */
  body?: string;
  playbookKey: string;
  /** The step's `retries` + 1: the activity records the failure as final on the last attempt. */
  maxAttempts: number;
}

export interface EnrollAccountInput extends ActionContext {
  /** The playbook to enroll the account in, by key. */
  playbookKey: string;
}

export interface EnrollAccountResult {
  status: 'enrolled' | 'skipped';
  runId: string | null;
  /** Why, in words: "Enrolled in Renewal 120 v3", "Already running", "Re-entry policy: once". */
  summary: string;
}

export interface FinishRunInput {
  runId: string;
  outcome: 'completed' | 'exited' | 'cancelled';
  reason: string;
  at: string;
}

export interface PlaybookActivities {
  recordStepStarted(input: RecordStepStartedInput): Promise<void>;
  recordStepCompleted(input: RecordStepCompletedInput): Promise<void>;
  /** Writes several step records in one transaction, idempotently (run as a local activity). */
  recordSteps(input: { runId: string; records: StepRecord[] }): Promise<void>;
  loadAccountFacts(input: { accountId: string }): Promise<AccountFacts>;
  openApproval(input: OpenApprovalInput): Promise<OpenApprovalResult>;
  /** Marks a still-pending approval expired; returns its status afterwards (a decision may have won the race). */
  expireApproval(input: { approvalId: string }): Promise<'pending' | 'approved' | 'rejected' | 'expired'>;
  /** Closes a still-pending approval without a person; returns the status afterwards (a decision may have won). */
  resolveApproval(input: ResolveApprovalInput): Promise<ApprovalStatus>;
  escalateApproval(input: EscalateApprovalInput): Promise<EscalateApprovalResult>;
  sendEmail(input: SendEmailInput): Promise<SendEmailResult>;
  deliverTouch(input: DeliverTouchInput): Promise<ActionResult>;
  openTask(input: OpenTaskInput): Promise<OpenTaskResult>;
  closeTask(input: CloseTaskInput): Promise<void>;
  markTaskOverdue(input: { taskId: string; at: string }): Promise<void>;
  recordMilestone(input: RecordMilestoneInput): Promise<void>;
  updateAccount(input: UpdateAccountInput): Promise<ActionResult>;
  /** Throws a non-retryable failure for a 4xx; the workflow's retry policy covers the rest. */
  callWebhook(input: CallWebhookInput): Promise<ActionResult>;
  enrollAccount(input: EnrollAccountInput): Promise<EnrollAccountResult>;
  /** Closes a still-pending approval of a cancelled run, so it leaves the inbox. */
  cancelApproval(input: { approvalId: string; reason: string }): Promise<void>;
  /** Sets the run's outcome and closes whatever it left open (pending approvals, open tasks). */
  finishRun(input: FinishRunInput): Promise<void>;
}

/** What one trigger pass did for one playbook. */
export interface TriggerEnrollmentSummary {
  playbookKey: string;
  /** Accounts looked at (the audience, or those whose date has come). */
  considered: number;
  enrolled: number;
  /** Refused by audience or re-entry, or already running. */
  skipped: number;
  failed: number;
}

/** The activities of trigger passes (run by schedules, not by playbook runs). */
export interface TriggerActivities {
  /** Enrolls every account of the playbook's audience (its segments' members, or every account). */
  enrollOnSchedule(input: { playbookKey: string; firedAt: string }): Promise<TriggerEnrollmentSummary>;
  /** For every published account-date playbook, enrolls the accounts whose day has come. */
  enrollDueAccountDates(input: { firedAt: string }): Promise<TriggerEnrollmentSummary[]>;
}
