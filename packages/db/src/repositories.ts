import type { EntityManager } from 'typeorm';
import { AccountFieldsRepository } from './accounts/account-fields.repository';
import { ApiTokensRepository } from './access/api-tokens.repository';
import { SessionsRepository } from './access/sessions.repository';
import { AccountsRepository } from './accounts/accounts.repository';
import { RunActionsRepository } from './actions/run-actions.repository';
import { ApprovalsRepository } from './approvals/approvals.repository';
import { AuditRepository } from './audit/audit.repository';
import { SentEmailsRepository } from './emails/sent-emails.repository';
import { AccountEventsRepository } from './events/account-events.repository';
import { RunMilestonesRepository } from './milestones/run-milestones.repository';
import { StakeholdersRepository } from './people/stakeholders.repository';
import { PlaybooksRepository } from './playbooks/playbooks.repository';
import { RunsRepository } from './runs/runs.repository';
import { SegmentsRepository } from './segments/segments.repository';
import { SuccessPlansRepository } from './success-plans/success-plans.repository';
import { TasksRepository } from './tasks/tasks.repository';
import { UsersRepository } from './users/users.repository';
import { WorkItemsRepository } from './work-items/work-items.repository';

/**
 * Every repository over one EntityManager: `repositories(dataSource.manager)` outside a
 * transaction, `repositories(em)` inside `dataSource.transaction(async (em) => …)`.
 */
export function repositories(em: EntityManager) {
  return {
    users: new UsersRepository(em),
    accounts: new AccountsRepository(em),
    accountFields: new AccountFieldsRepository(em),
    playbooks: new PlaybooksRepository(em),
    runs: new RunsRepository(em),
    approvals: new ApprovalsRepository(em),
    sentEmails: new SentEmailsRepository(em),
    tasks: new TasksRepository(em),
    runActions: new RunActionsRepository(em),
    milestones: new RunMilestonesRepository(em),
    segments: new SegmentsRepository(em),
    stakeholders: new StakeholdersRepository(em),
    successPlans: new SuccessPlansRepository(em),
    sessions: new SessionsRepository(em),
    apiTokens: new ApiTokensRepository(em),
    audit: new AuditRepository(em),
    workItems: new WorkItemsRepository(em),
    accountEvents: new AccountEventsRepository(em),
  };
}
export type Repositories = ReturnType<typeof repositories>;
