import { repositories } from '@cairn/db';
import { renderTemplate } from '@cairn/playbook';
import type { CloseTaskInput, OpenTaskInput, OpenTaskResult } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { findRecipient, loadAccountContext, resolveInternalPerson, roleWords, templateVariables } from './recipients';

/** Joint accountabilities: tasks for our side or the customer's. */
export function createTaskActivities({ dataSource }: ActivityDeps) {
  return {
    /**
     * Opens the task once per (run, step, visit). Our person on it: for our side, whoever holds the
     * role for the account (the CSM for `csm` and `account_team`, the CSM's manager for
     * `cs_manager`, see resolveInternalPerson); for the customer's side, the account's CSM, who
     * follows it up.
     */
    async openTask(input: OpenTaskInput): Promise<OpenTaskResult> {
      return dataSource.transaction(async (em) => {
        const repos = repositories(em);
        const ctx = await loadAccountContext(em, input.accountId);
        const { side, role } = input.owner;
        let ownerName: string;
        let assigneeId: string | null;
        let vars;
        if (side === 'ours') {
          const person = await resolveInternalPerson(em, ctx, role);
          assigneeId = person?.id ?? null;
          ownerName = person ? `${person.name} (${roleWords(role)})` : `our ${roleWords(role)} (nobody assigned)`;
          vars = templateVariables(ctx, person ? { name: person.name, email: person.email, role, userId: person.id } : null);
        } else {
          const person = await findRecipient(em, ctx, role);
          assigneeId = ctx.csm?.id ?? null;
          ownerName = person ? `the customer’s ${roleWords(role)}, ${person.name}` : `the customer’s ${roleWords(role)} (nobody in the people map)`;
          vars = templateVariables(ctx, person);
        }
        const task = await repos.tasks.openOnce({
          runId: input.runId,
          nodeId: input.stepId,
          visit: input.visit,
          accountId: input.accountId,
          playbookVersionId: input.playbookVersionId,
          title: renderTemplate(input.title, vars),
          ownerSide: side,
          ownerRole: role,
          assigneeId,
          completion: input.completion,
          dueAt: new Date(input.dueAt),
          reason: input.reason,
        });
        return { taskId: task.id, assigneeId: task.assigneeId, ownerName };
      });
    },

    /** Closes a task the run saw done (event, condition) or gave up on; a person's completion recorded first stays. */
    async closeTask(input: CloseTaskInput): Promise<void> {
      const tasks = repositories(dataSource.manager).tasks;
      if (await tasks.closeIfOpen(input.taskId, { status: input.status, note: input.reason, at: new Date(input.at) })) return;
      if (!(await tasks.findById(input.taskId))) throw ApplicationFailure.nonRetryable(`Task ${input.taskId} no longer exists`, 'TaskNotFound');
    },

    /** Notes when the run found the task late; only an open task, only the first time. */
    async markTaskOverdue({ taskId, at }: { taskId: string; at: string }): Promise<void> {
      await repositories(dataSource.manager).tasks.markOverdue(taskId, new Date(at));
    },
  };
}
