import { RunEntity, RunStepEntity } from '@cairn/db';
import type { FinishRunInput, RecordStepCompletedInput, RecordStepStartedInput } from '@cairn/workflows';
import type { ActivityDeps } from './deps';

/** Step history and run status: every write is an upsert keyed by (run, step, visit). */
export function createRunActivities({ dataSource }: ActivityDeps) {
  return {
    async recordStepStarted(input: RecordStepStartedInput): Promise<void> {
      await dataSource.transaction(async (em) => {
        await em
          .createQueryBuilder()
          .insert()
          .into(RunStepEntity)
          .values({ runId: input.runId, nodeId: input.stepId, nodeType: input.stepType, visit: input.visit, status: input.status, reason: input.reason, startedAt: new Date(input.at) })
          .orUpdate(['status', 'reason'], ['run_id', 'node_id', 'visit'], { skipUpdateIfNoValuesChanged: true })
          .execute();
        await em.update(RunEntity, { id: input.runId, status: 'running' }, { currentNodeId: input.stepId });
      });
    },

    async recordStepCompleted(input: RecordStepCompletedInput): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(RunStepEntity)
        .set({ status: 'completed', outcome: input.outcome, reason: input.reason, completedAt: new Date(input.at) })
        .where('run_id = :runId AND node_id = :nodeId AND visit = :visit', { runId: input.runId, nodeId: input.stepId, visit: input.visit })
        .execute();
    },

    async finishRun(input: FinishRunInput): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(RunEntity)
        .set({ status: input.outcome, endedAt: new Date(input.at) })
        .where('id = :id AND status = :running', { id: input.runId, running: 'running' })
        .execute();
    },
  };
}
