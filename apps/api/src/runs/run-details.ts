import type { RunAction, RunLiveState, RunMilestone } from '@cairn/contracts';
import { repositories, type RunActionEntity, type RunEntity, type RunMilestoneEntity } from '@cairn/db';
import { type RunState, runStateQuery } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { isoOrNull } from '../common/dates';
import { runHandle } from '../temporal/run-handle';

/** How long `GET /api/runs/:id` waits for the run to answer its state query before showing `live: null`. */
export const LIVE_QUERY_TIMEOUT_MS = 2_000;

/** What a run's page shows beyond its steps. */
export interface RunDetailParts {
  live: RunLiveState | null;
  actions: RunAction[];
  milestones: RunMilestone[];
}

export function toLiveState(s: RunState): RunLiveState {
  return {
    status: s.status,
    currentStepId: s.currentStepId,
    pendingApprovalId: s.pendingApprovalId,
    path: [...s.path],
    enrolledAt: s.enrolledAt ?? null,
    active: (s.active ?? []).map((a) => ({
      stepId: a.stepId,
      type: a.type,
      label: a.label,
      visit: a.visit,
      since: a.since,
      waitingFor: a.waitingFor,
      until: a.until,
      ...(a.approvalId ? { approvalId: a.approvalId } : {}),
      ...(a.taskId ? { taskId: a.taskId } : {}),
    })),
    done: (s.done ?? []).map((d) => ({ stepId: d.stepId, visit: d.visit, outcome: d.outcome, reason: d.reason, at: d.at })),
    milestones: (s.milestones ?? []).map((m) => ({ stepId: m.stepId, name: m.name, targetDay: m.targetDay, status: m.status, day: m.day, at: m.at })),
    generation: s.generation ?? null,
  };
}

export function toRunAction(a: RunActionEntity): RunAction {
  return {
    id: a.id,
    nodeId: a.nodeId,
    visit: a.visit,
    kind: a.kind as RunAction['kind'],
    target: a.target,
    status: a.status as RunAction['status'],
    detail: a.detail,
    approvalId: a.approvalId,
    reason: a.reason,
    createdAt: a.createdAt.toISOString(),
    completedAt: isoOrNull(a.completedAt),
  };
}

export function toRunMilestone(m: RunMilestoneEntity): RunMilestone {
  return {
    id: m.id,
    nodeId: m.nodeId,
    visit: m.visit,
    name: m.name,
    targetDay: m.targetDay,
    status: m.status as RunMilestone['status'],
    day: m.day,
    reason: m.reason,
    recordedAt: m.recordedAt.toISOString(),
  };
}

/** A run's live state (its `runState` query), side effects and milestones. */
@Injectable()
export class RunDetails {
  private readonly logger = new Logger('Runs');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  /** With `live`, asks the workflow too; otherwise `live` is null. */
  async of(run: RunEntity, options: { live?: boolean } = {}): Promise<RunDetailParts> {
    const db = repositories(this.dataSource.manager);
    const [live, actions, milestones] = await Promise.all([options.live ? this.live(run) : null, db.runActions.listByRun(run.id), db.milestones.listByRun(run.id)]);
    return { live, actions: actions.map(toRunAction), milestones: milestones.map(toRunMilestone) };
  }

  /**
   * What the run says now, or null: when it is closed (the database says so; its history is in the
   * steps), or when Temporal or a worker does not answer within LIVE_QUERY_TIMEOUT_MS.
   */
  async live(run: RunEntity): Promise<RunLiveState | null> {
    if (run.status !== 'running') return null;
    return this.stateNow(run);
  }

  /**
   * What the run says now, whatever the database says of it (a decision may have just ended it),
   * or null when Temporal or a worker does not answer within LIVE_QUERY_TIMEOUT_MS. Asked after an
   * Update the API sent, so the caller sees where the run went next.
   */
  async stateNow(run: RunEntity): Promise<RunLiveState | null> {
    try {
      const state = await this.temporal.connection.withDeadline(Date.now() + LIVE_QUERY_TIMEOUT_MS, () => runHandle(this.temporal, run).query(runStateQuery));
      return toLiveState(state);
    } catch (error) {
      this.logger.warn(`Run ${run.id} did not answer its state query: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
