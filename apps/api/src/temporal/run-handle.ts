import type { Client, WorkflowHandle } from '@temporalio/client';

/**
 * A run's workflow, addressed so that continue-as-new does not lose it: by workflow id (the latest
 * execution) and, for Updates, pinned to the chain its first execution started, so a later run of
 * the same playbook and account (same workflow id, new chain) never takes a message meant for this one.
 * Signals and queries carry no chain; callers check the run is still running first.
 */
export function runHandle(client: Client, run: { workflowId: string; temporalRunId: string | null }): WorkflowHandle {
  return client.workflow.getHandle(run.workflowId, undefined, run.temporalRunId ? { firstExecutionRunId: run.temporalRunId } : undefined);
}
