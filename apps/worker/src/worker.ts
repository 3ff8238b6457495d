import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
}

/** The worker that runs playbook workflows and their activities on one task queue. */
export function createWorker({ connection, namespace, taskQueue, deps }: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('@cairn/workflows/dist/workflows'),
    activities: createActivities(deps),
  });
}
