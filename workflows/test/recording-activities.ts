import type { OpenApprovalInput, PlaybookActivities, SendEmailInput } from '../src/activities';

/**
 * An in-memory stand-in for the worker's activities. The workflow is the unit under test here;
 * the real activities (Postgres, SMTP) are exercised by the worker's and the API's integration tests.
 */
export function recordingActivities() {
  const calls: Array<{ name: keyof PlaybookActivities; input: Record<string, unknown> }> = [];
  const approvals = new Map<string, OpenApprovalInput & { status: string }>();
  const emails: SendEmailInput[] = [];
  const record = (name: keyof PlaybookActivities, input: object) => calls.push({ name, input: { ...input } });

  const activities: PlaybookActivities = {
    async recordStepStarted(input) {
      record('recordStepStarted', input);
    },
    async recordStepCompleted(input) {
      record('recordStepCompleted', input);
    },
    async openApproval(input) {
      record('openApproval', input);
      const approvalId = `00000000-0000-4000-8000-${String(approvals.size + 1).padStart(12, '0')}`;
      approvals.set(approvalId, { ...input, status: 'pending' });
      return { approvalId, assigneeName: 'Casey Morgan' };
    },
    async expireApproval({ approvalId }) {
      record('expireApproval', { approvalId });
      const approval = approvals.get(approvalId);
      if (approval && approval.status === 'pending') approval.status = 'expired';
      return (approval?.status ?? 'expired') as 'expired';
    },
    async sendEmail(input) {
      record('sendEmail', input);
      emails.push(input);
      return { sentEmailId: `email-${emails.length}`, messageId: `<m${emails.length}@test>`, toAddress: 'champion@acme.test' };
    },
    async cancelApproval(input) {
      record('cancelApproval', input);
      const approval = approvals.get(input.approvalId);
      if (approval && approval.status === 'pending') approval.status = 'cancelled';
    },
    async finishRun(input) {
      record('finishRun', input);
    },
  };
  return { activities, calls, approvals, emails };
}
