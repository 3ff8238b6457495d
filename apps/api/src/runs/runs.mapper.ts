import type { Run, RunStatus, RunStep, RunSummary, SentEmail } from '@cairn/contracts';
import type { RunEntity, RunStepEntity, SentEmailEntity } from '@cairn/db';
import type { EnrolledRun } from '@cairn/enrollment';
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
