import type { BulkEnrollResponse, Run, RunStatus, RunStep, RunSummary, SentEmail } from '@cairn/contracts';
import type { RunEntity, RunStepEntity, SegmentMembers, SentEmailEntity } from '@cairn/db';
import type { BulkEnrollmentResult, EnrolledRun } from '@cairn/enrollment';
import { isoOrNull } from '../common/dates';

/** Expects the run loaded with `playbookVersion.playbook` and `account`. */
export function toRunSummary(run: RunEntity): RunSummary {
  const version = run.playbookVersion;
  const playbook = version?.playbook;
  if (!version || !playbook || !run.account) throw new Error(`run ${run.id} was loaded without its relations`);
  return {
    id: run.id,
    workflowId: run.workflowId,
    playbookId: run.playbookId,
    playbookKey: playbook.key,
    playbookName: playbook.name,
    playbookVersionId: run.playbookVersionId,
    version: version.version,
    planHash: version.hash,
    accountId: run.accountId,
    accountName: run.account.name,
    status: run.status as RunStatus,
    currentNodeId: run.currentNodeId,
    enrolledBy: run.enrolledBy,
    reason: run.reason,
    startedAt: run.startedAt.toISOString(),
    endedAt: isoOrNull(run.endedAt),
  };
}

export function toRunStep(step: RunStepEntity): RunStep {
  return {
    id: step.id,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    status: step.status as RunStep['status'],
    visit: step.visit,
    outcome: step.outcome,
    startedReason: step.startedReason,
    reason: step.reason,
    startedAt: step.startedAt.toISOString(),
    completedAt: isoOrNull(step.completedAt),
  };
}

/** `details`: the run's live state, side effects and milestones (run-details.ts). */
export function toRun(run: RunEntity, steps: RunStepEntity[], details: Pick<Run, 'live' | 'actions' | 'milestones'>): Run {
  return { ...toRunSummary(run), steps: steps.map(toRunStep), live: details.live, actions: details.actions, milestones: details.milestones };
}

/** A run just enrolled: what the enrollment wrote, nothing happened in it yet. */
export function fromEnrolledRun(run: EnrolledRun): Run {
  return {
    id: run.id,
    workflowId: run.workflowId,
    playbookId: run.playbookId,
    playbookKey: run.playbookKey,
    playbookName: run.playbookName,
    playbookVersionId: run.playbookVersionId,
    version: run.version,
    planHash: run.planHash,
    accountId: run.accountId,
    accountName: run.accountName,
    status: 'running',
    currentNodeId: null,
    enrolledBy: run.enrolledBy,
    reason: run.reason,
    startedAt: run.startedAt.toISOString(),
    endedAt: null,
    steps: [],
    live: null,
    actions: [],
    milestones: [],
  };
}

export function toSentEmail(e: SentEmailEntity): SentEmail {
  return {
    id: e.id,
    runId: e.runId,
    nodeId: e.nodeId,
    approvalId: e.approvalId,
    accountId: e.accountId,
    toAddress: e.toAddress,
    toRole: e.toRole,
    subject: e.subject,
    body: e.body,
    status: e.status as SentEmail['status'],
    messageId: e.messageId,
    reason: e.reason,
    sentAt: isoOrNull(e.sentAt),
  };
}

/** A bulk enrollment's report, field by field (a failure's error stays in the log). */
export function toBulkEnrollResponse(result: BulkEnrollmentResult, version: number, segment: SegmentMembers['segment'] | null): BulkEnrollResponse {
  return {
    playbookId: result.playbook.id,
    version,
    segment: segment ? { id: segment.id, key: segment.key, name: segment.name } : null,
    counts: {
      requested: result.enrolled.length + result.skipped.length + result.failed.length,
      enrolled: result.enrolled.length,
      skipped: result.skipped.length,
      failed: result.failed.length,
    },
    enrolled: result.enrolled.map((e) => ({ accountId: e.accountId, runId: e.runId })),
    skipped: result.skipped.map((s) => {
      // `no_version` skips everyone, and the service answers 409 before mapping.
      if (s.code === 'no_version') throw new Error('a bulk enrollment without a version has no report');
      return { accountId: s.accountId, code: s.code, reason: s.reason, runId: s.runId };
    }),
    failed: result.failed.map((f) => ({ accountId: f.accountId, code: f.code, reason: f.reason })),
  };
}

