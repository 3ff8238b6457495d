// A stand-in run for the API's integration tests: it answers the messages the API sends a run
// (the decideApproval and completeTask Updates with validators, the runState query) the way the
// playbook workflow's contract says, without running any playbook. It lets the tests check what
// the API sends and how it handles a refusal, whatever state the real engine is in.
import { type ApprovalDecision, completeTaskUpdate, decideApprovalUpdate, type DeciderRole, type RunState, runStateQuery, type TaskCompletion } from '@cairn/workflows';
import { condition, defineQuery, setHandler } from '@temporalio/workflow';

export interface MessagesRunInput {
  /** Our person the task and approval are assigned to. */
  assigneeId: string | null;
  openTaskIds: string[];
  pendingApprovalIds: string[];
  /** What `runState` answers. */
  state: RunState;
}

/** Every Update the run accepted, in order. */
export const receivedQuery = defineQuery<Array<{ update: string; message: ApprovalDecision | TaskCompletion }>>('received');

const ACTS_FOR_OTHERS: ReadonlySet<DeciderRole | undefined> = new Set(['cs_manager', 'admin']);

export async function messagesRun(input: MessagesRunInput): Promise<void> {
  const received: Array<{ update: string; message: ApprovalDecision | TaskCompletion }> = [];
  const openTasks = new Set(input.openTaskIds);
  const pendingApprovals = new Set(input.pendingApprovalIds);
  const mayAct = (personId: string, role: DeciderRole | undefined) => personId === input.assigneeId || ACTS_FOR_OTHERS.has(role);

  setHandler(receivedQuery, () => received);
  setHandler(runStateQuery, () => input.state);
  setHandler(
    completeTaskUpdate,
    (completion) => {
      openTasks.delete(completion.taskId);
      received.push({ update: 'completeTask', message: completion });
      return { accepted: true as const };
    },
    {
      validator: (completion) => {
        if (!openTasks.has(completion.taskId)) throw new Error(`This run has no open task ${completion.taskId}`);
        if (!mayAct(completion.completedById, completion.completedByRole)) throw new Error('Only the task’s owner or a manager may mark it done');
      },
    },
  );
  setHandler(
    decideApprovalUpdate,
    (decision) => {
      pendingApprovals.delete(decision.approvalId);
      received.push({ update: 'decideApproval', message: decision });
      return { accepted: true as const };
    },
    {
      validator: (decision) => {
        if (!pendingApprovals.has(decision.approvalId)) throw new Error(`This run is not waiting for approval ${decision.approvalId}`);
        if (!mayAct(decision.decidedById, decision.decidedByRole)) throw new Error('Only the assignee or a manager may decide this approval');
      },
    },
  );
  await condition(() => false);
}
