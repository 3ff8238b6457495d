import { repositories } from '@cairn/db';
import { accountSnapshotOf } from '@cairn/playbook';
import type { AccountFacts, ActionResult, UpdateAccountInput } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { actionKey } from './keys';

const show = (value: unknown) => (value === undefined ? 'unset' : JSON.stringify(value));

/** What runs read about an account, and the attributes they set on it. */
export function createAccountActivities({ dataSource }: ActivityDeps) {
  return {
    /** A local activity: one query. The account gone is final (retrying cannot bring it back). */
    async loadAccountFacts({ accountId }: { accountId: string }): Promise<AccountFacts> {
      const row = await repositories(dataSource.manager).accounts.facts(accountId);
      if (!row) throw ApplicationFailure.nonRetryable(`Account ${accountId} no longer exists`, 'AccountNotFound');
      return accountSnapshotOf({ ...row, segment: row.segmentKey });
    },

    /**
     * Sets one attribute and records it (`account_update`, old and new value) in one transaction,
     * once per (run, step, visit): a retry finds the row and changes nothing.
     */
    async updateAccount(input: UpdateAccountInput): Promise<ActionResult> {
      const { attribute, value } = input.change;
      return dataSource.transaction(async (em) => {
        const repos = repositories(em);
        const { action, created } = await repos.runActions.beginOnce({
          idempotencyKey: actionKey(input),
          runId: input.runId,
          nodeId: input.stepId,
          visit: input.visit,
          playbookVersionId: input.playbookVersionId,
          accountId: input.accountId,
          kind: 'account_update',
          target: attribute,
          approvalId: null,
          reason: input.reason,
        });
        if (!created && action.status !== 'pending') return { actionId: action.id, status: action.status as ActionResult['status'], summary: String(action.detail.summary ?? '') };
        const { found, previous } = await repos.accounts.setAttribute(input.accountId, attribute, value);
        if (!found) throw ApplicationFailure.nonRetryable(`Account ${input.accountId} no longer exists`, 'AccountNotFound');
        const summary = `Set ${attribute} to ${show(value)} (was ${show(previous)})`;
        const done = await repos.runActions.update(action.id, 'done', { attribute, previous: previous ?? null, hadValue: previous !== undefined, value, summary });
        return { actionId: done.id, status: 'done', summary };
      });
    },
  };
}
