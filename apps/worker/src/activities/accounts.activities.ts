import { repositories } from '@cairn/db';
import type { AccountFacts, ActionResult, UpdateAccountInput } from '@cairn/workflows';
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { actionKey } from './keys';

/** Dates are the `*_date` attributes holding a date (ISO text); anything else is left to `attributes`. */
function datesOf(attributes: Record<string, unknown>): Record<string, string> {
  const dates: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key.endsWith('_date') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) dates[key] = value;
  }
  return dates;
}

function numbersOf(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}

const show = (value: unknown) => (value === undefined ? 'unset' : JSON.stringify(value));

/** What runs read about an account, and the attributes they set on it. */
export function createAccountActivities({ dataSource }: ActivityDeps) {
  return {
    /** A local activity: one query. The account gone is final (retrying cannot bring it back). */
    async loadAccountFacts({ accountId }: { accountId: string }): Promise<AccountFacts> {
      const row = await repositories(dataSource.manager).accounts.facts(accountId);
      if (!row) throw ApplicationFailure.nonRetryable(`Account ${accountId} no longer exists`, 'AccountNotFound');
      return {
        name: row.name,
        segment: row.segmentKey,
        attributes: { ...row.attributes },
        metrics: numbersOf(row.metrics),
        // The language addresses everyone whose role is "user" as "users".
        roles: row.roles.map((role) => (role === 'user' ? 'users' : role)),
        dates: datesOf(row.attributes),
        timezone: row.timezone,
      };
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
