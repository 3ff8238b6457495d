import { ApplicationFailure } from '@temporalio/activity';
import type { AccountFacts, OpenApprovalInput, PlaybookActivities, SendEmailInput, StepRecord } from '../src/activities';

type Call = { name: keyof PlaybookActivities; input: Record<string, unknown> };

export interface RecorderOptions {
  account?: Partial<AccountFacts>;
  /** Makes `callWebhook` fail: 'reject' as a 4xx would, 'down' as an unreachable server (retried). */
  webhook?: 'ok' | 'reject' | 'down';
  /** Stakeholder roles with nobody in them: touches to them fail as the real activity does. */
  missingRoles?: string[];
}

/**
 * An in-memory stand-in for the worker's activities, with an account whose data tests change.
 * The workflow is the unit under test here; the real activities (Postgres, SMTP, HTTP) are
 * exercised by the worker's and the API's integration tests.
 */
export function recordingActivities(options: RecorderOptions = {}) {
  const calls: Call[] = [];
  const records: StepRecord[] = [];
  const approvals = new Map<string, OpenApprovalInput & { status: string; assigneeId: string | null }>();
  const tasks = new Map<string, { title: string; status: string; overdue: boolean }>();
  const emails: SendEmailInput[] = [];
  const account: AccountFacts = {
    name: 'Acme',
    segment: 'high-touch',
    attributes: {},
    metrics: {},
    roles: ['champion', 'sponsor', 'economic_buyer', 'admin'],
    dates: {},
    timezone: 'UTC',
    // A copy: tests change the account during a run and keep the original for the simulator.
    ...(JSON.parse(JSON.stringify(options.account ?? {})) as Partial<AccountFacts>),
  };
  const record = (name: keyof PlaybookActivities, input: object) => calls.push({ name, input: { ...input } });
  const ids = { approval: 0, task: 0, action: 0 };
  const uuid = (kind: string, n: number) => `00000000-0000-4000-8000-${kind}${String(n).padStart(12 - kind.length, '0')}`;
  const action = (status: 'done' | 'skipped', summary: string) => ({ actionId: uuid('a', ++ids.action), status, summary });

  const activities: PlaybookActivities = {
    async recordStepStarted(input) {
      record('recordStepStarted', input);
    },
    async recordStepCompleted(input) {
      record('recordStepCompleted', input);
    },
    async recordSteps(input) {
      record('recordSteps', { count: input.records.length });
      records.push(...input.records);
    },
    async loadAccountFacts() {
      return JSON.parse(JSON.stringify(account)) as AccountFacts;
    },
    async openApproval(input) {
      record('openApproval', input);
      const approvalId = uuid('1', ++ids.approval);
      const assigneeId = input.assignee.kind === 'user' ? input.assignee.userId : input.assignee.kind === 'role' ? 'u-manager' : 'u-csm';
      approvals.set(approvalId, { ...input, status: 'pending', assigneeId });
      return { approvalId, assigneeName: assigneeId === 'u-manager' ? 'Morgan Lee' : 'Casey Morgan', assigneeId };
    },
    async expireApproval({ approvalId }) {
      record('expireApproval', { approvalId });
      const approval = approvals.get(approvalId);
      if (approval && approval.status === 'pending') approval.status = 'expired';
      return (approval?.status ?? 'expired') as 'expired';
    },
    async resolveApproval(input) {
      record('resolveApproval', input);
      const approval = approvals.get(input.approvalId);
      const status = { expired: 'expired', auto_approved: 'approved', auto_skipped: 'rejected' }[input.resolution];
      if (approval && approval.status === 'pending') approval.status = status;
      return (approval?.status ?? status) as 'expired';
    },
    async escalateApproval(input) {
      record('escalateApproval', input);
      const approval = approvals.get(input.approvalId);
      if (input.action === 'reassign_to_manager' && approval) approval.assigneeId = 'u-manager';
      const assigneeId = approval?.assigneeId ?? null;
      return { assigneeId, assigneeName: assigneeId === 'u-manager' ? 'Morgan Lee' : 'Casey Morgan', summary: input.action === 'notify_manager' ? 'Morgan Lee notified' : 'Reassigned to Morgan Lee' };
    },
    async sendEmail(input) {
      record('sendEmail', input);
      if (options.missingRoles?.includes(input.touch.to)) {
        throw ApplicationFailure.nonRetryable(`Acme has no ${input.touch.to} in its people map`, 'RecipientMissing');
      }
      emails.push(input);
      return { sentEmailId: `email-${emails.length}`, messageId: `<m${emails.length}@test>`, toAddress: `${input.touch.to}@acme.test` };
    },
    async deliverTouch(input) {
      record('deliverTouch', input);
      return action('done', `${input.touch.channel} to ${input.touch.to}`);
    },
    async openTask(input) {
      record('openTask', input);
      const taskId = uuid('2', ++ids.task);
      tasks.set(taskId, { title: input.title, status: 'open', overdue: false });
      return { taskId, assigneeId: 'u-csm', ownerName: 'Casey Morgan' };
    },
    async closeTask(input) {
      record('closeTask', input);
      const task = tasks.get(input.taskId);
      if (task) task.status = input.status;
    },
    async markTaskOverdue(input) {
      record('markTaskOverdue', input);
      const task = tasks.get(input.taskId);
      if (task) task.overdue = true;
    },
    async recordMilestone(input) {
      record('recordMilestone', input);
    },
    async updateAccount(input) {
      record('updateAccount', input);
      account.attributes[input.change.attribute] = input.change.value;
      return action('done', `${input.change.attribute} set to ${JSON.stringify(input.change.value)}`);
    },
    async callWebhook(input) {
      record('callWebhook', input);
      if (options.webhook === 'reject') throw ApplicationFailure.nonRetryable('HTTP 400 from the receiver', 'WebhookRejected');
      if (options.webhook === 'down') throw new Error('connect ECONNREFUSED');
      return action('done', `${input.method} ${input.url}: 200`);
    },
    async enrollAccount(input) {
      record('enrollAccount', input);
      return { status: 'enrolled', runId: 'run-other', summary: `Enrolled in ${input.playbookKey} v1` };
    },
    async cancelApproval(input) {
      record('cancelApproval', input);
      const approval = approvals.get(input.approvalId);
      if (approval && approval.status === 'pending') approval.status = 'cancelled';
    },
    async finishRun(input) {
      record('finishRun', input);
      for (const approval of approvals.values()) if (approval.status === 'pending') approval.status = 'cancelled';
      for (const task of tasks.values()) if (task.status === 'open') task.status = 'cancelled';
    },
  };

  /** The completed record of a step's visit, as the run wrote it. */
  const completed = (stepId: string, visit = 0) => records.find((r) => r.kind === 'completed' && r.stepId === stepId && r.visit === visit);
  const started = (stepId: string, visit = 0) => records.find((r) => r.kind === 'started' && r.stepId === stepId && r.visit === visit);
  const named = (name: keyof PlaybookActivities) => calls.filter((c) => c.name === name).map((c) => c.input);
  return { activities, calls, records, approvals, tasks, emails, account, completed, started, named };
}
