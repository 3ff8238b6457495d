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

export interface OpenApprovalInput extends StepRef {
  accountId: string;
  playbookVersionId: string;
  title: string;
  assignee: { kind: 'account_csm' } | { kind: 'user'; userId: string };
  /** When the approval expires, or null to wait indefinitely. */
  dueAt: string | null;
  /** The touch that will be sent if approved, rendered for the account in the inbox. */
  proposedTouch: EmailTouch | null;
}

export interface OpenApprovalResult {
  approvalId: string;
  assigneeName: string | null;
}

export interface EmailTouch {
  channel: 'email';
  to: string;
  subject: string;
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

export interface FinishRunInput {
  runId: string;
  outcome: 'completed' | 'exited' | 'cancelled';
  reason: string;
  at: string;
}

export interface PlaybookActivities {
  recordStepStarted(input: RecordStepStartedInput): Promise<void>;
  recordStepCompleted(input: RecordStepCompletedInput): Promise<void>;
  openApproval(input: OpenApprovalInput): Promise<OpenApprovalResult>;
  /** Marks a still-pending approval expired; returns its status afterwards (a decision may have won the race). */
  expireApproval(input: { approvalId: string }): Promise<'pending' | 'approved' | 'rejected' | 'expired'>;
  sendEmail(input: SendEmailInput): Promise<SendEmailResult>;
  /** Closes a still-pending approval of a cancelled run, so it leaves the inbox. */
  cancelApproval(input: { approvalId: string; reason: string }): Promise<void>;
  finishRun(input: FinishRunInput): Promise<void>;
}
