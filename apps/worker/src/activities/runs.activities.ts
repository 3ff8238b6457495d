import { RunsRepository, type StepWrite } from '@cairn/db';
import type { FinishRunInput, RecordStepCompletedInput, RecordStepStartedInput, StepRecord } from '@cairn/workflows';
import type { ActivityDeps } from './deps';

function toWrite(record: StepRecord): StepWrite {
  return record.kind === 'started'
    ? { kind: 'started', nodeId: record.stepId, visit: record.visit, nodeType: record.stepType, status: record.status, reason: record.reason, at: new Date(record.at) }
    : { kind: 'completed', nodeId: record.stepId, visit: record.visit, outcome: record.outcome, reason: record.reason, at: new Date(record.at) };
}

/** Step history and run status: every write is an upsert keyed by (run, step, visit). */
export function createRunActivities({ dataSource }: ActivityDeps) {
  const runs = new RunsRepository(dataSource.manager);
  return {
    async recordStepStarted(input: RecordStepStartedInput): Promise<void> {
      await runs.recordSteps(input.runId, [toWrite({ kind: 'started', ...input })]);
    },

    async recordStepCompleted(input: RecordStepCompletedInput): Promise<void> {
      await runs.recordSteps(input.runId, [toWrite({ kind: 'completed', ...input })]);
    },

    /** A local activity: the whole batch is one statement, so one round trip and all or nothing. */
    async recordSteps({ runId, records }: { runId: string; records: StepRecord[] }): Promise<void> {
      await runs.recordSteps(runId, records.map(toWrite));
    },

    /** The run's outcome, and whatever it left open (pending approvals, open tasks) closed with its reason, in one statement. */
    async finishRun(input: FinishRunInput): Promise<void> {
      await runs.finish(input.runId, { outcome: input.outcome, reason: input.reason, at: new Date(input.at) });
    },
  };
}
