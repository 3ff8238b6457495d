import { RunEntity } from '@cairn/db';
import { accountChangedSignal } from '@cairn/workflows';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { EntityManager } from 'typeorm';
import { fromTemporalError, TEMPORAL_CALL_TIMEOUT_MS } from './temporal-errors';

/** A running run, as much as a message to it needs. */
export interface RunningRun {
  id: string;
  workflowId: string;
  playbookId: string;
  accountId: string;
}

/** The running runs of these accounts (runs.status = 'running'), oldest first. */
export async function runningRunsOf(em: EntityManager, accountIds: readonly string[]): Promise<RunningRun[]> {
  if (accountIds.length === 0) return [];
  return em
    .createQueryBuilder(RunEntity, 'r')
    .select(['r.id', 'r.workflowId', 'r.playbookId', 'r.accountId'])
    .where('r.account_id = ANY(:ids) AND r.status = :running', { ids: [...new Set(accountIds)], running: 'running' })
    .orderBy('r.started_at', 'ASC')
    .addOrderBy('r.id', 'ASC')
    .getMany();
}

/**
 * Sends signals to runs by their workflow id (the latest execution, so a run that continued as new
 * still gets it). A run whose workflow is gone (closed a moment ago, or never started) is skipped
 * and logged; Temporal unreachable is a 503 (ServiceUnavailableError).
 */
@Injectable()
export class RunSignals {
  private readonly logger = new Logger('RunSignals');

  constructor(@Inject(Client) private readonly temporal: Client) {}

  /** True when the run got the signal, false when its workflow is gone. */
  async send<Args extends unknown[]>(run: Pick<RunningRun, 'id' | 'workflowId'>, signal: SignalDefinition<Args>, ...args: Args): Promise<boolean> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => this.temporal.workflow.getHandle(run.workflowId).signal(signal, ...args));
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        this.logger.warn(`Run ${run.id} (${run.workflowId}) is marked running but its workflow is gone; the ${signal.name} signal was not delivered`);
        return false;
      }
      throw fromTemporalError(error, {});
    }
  }

  /**
   * Tells every running run of the account to re-read it (`accountChanged`, naming what changed).
   * Call it after the change commits, so the runs read the new values; Temporal unreachable is a 503.
   */
  async accountChanged(em: EntityManager, accountId: string, what: string): Promise<void> {
    for (const run of await runningRunsOf(em, [accountId])) await this.send(run, accountChangedSignal, { what });
  }
}
