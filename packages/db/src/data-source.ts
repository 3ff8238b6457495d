import { DataSource } from 'typeorm';
import { ApiTokenEntity } from './access/api-token.entity';
import { SessionEntity } from './access/session.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { AccountEntity } from './accounts/account.entity';
import { SegmentEntity } from './segments/segment.entity';
import { AccountExternalIdEntity } from './accounts/account-external-id.entity';
import { AccountFieldEntity } from './accounts/account-field.entity';
import { StakeholderEntity } from './accounts/stakeholder.entity';
import { ApprovalEntity } from './approvals/approval.entity';
import { SentEmailEntity } from './emails/sent-email.entity';
import { Init1763870400000 } from './migrations/1763870400000-init';
import { PeopleMapRoles1764000000000 } from './migrations/1764000000000-people-map-roles';
import { CancelledApprovals1764100000000 } from './migrations/1764100000000-cancelled-approvals';
import { EngineData1764200000000 } from './migrations/1764200000000-engine-data';
import { SegmentRules1764350000000 } from './migrations/1764350000000-segment-rules';
import { PlaybookLifecycle1764360000000 } from './migrations/1764360000000-playbook-lifecycle';
import { SuccessPlans1764380000000 } from './migrations/1764380000000-success-plans';
import { SuccessObjectiveEntity } from './success-plans/success-objective.entity';
import { SuccessPlanEntity } from './success-plans/success-plan.entity';
import { SegmentMembershipEntity } from './segments/segment-membership.entity';
import { PeopleMapHistory1764370000000 } from './migrations/1764370000000-people-map-history';
import { AccountFields1764450000000 } from './migrations/1764450000000-account-fields';
import { StepStartedReason1764460000000 } from './migrations/1764460000000-step-started-reason';
import { Access1764463000000 } from './migrations/1764463000000-access';
import { WorkItems1764470000000 } from './migrations/1764470000000-work-items';
import { WorkItemCommentEntity } from './work-items/work-item-comment.entity';
import { ListIndexes1764480000000 } from './migrations/1764480000000-list-indexes';
import { RunActionEntity } from './actions/run-action.entity';
import { AccountEventEntity } from './events/account-event.entity';
import { StakeholderChangeEntity } from './people/stakeholder-change.entity';
import { RunMilestoneEntity } from './milestones/run-milestone.entity';
import { TaskEntity } from './tasks/task.entity';
import { PlaybookVersionEntity } from './playbooks/playbook-version.entity';
import { PlaybookEntity } from './playbooks/playbook.entity';
import { RunStepEntity } from './runs/run-step.entity';
import { RunEntity } from './runs/run.entity';
import { UserEntity } from './users/user.entity';

export const entities = [
  UserEntity,
  WorkItemCommentEntity,
  SegmentEntity,
  AccountEntity,
  StakeholderEntity,
  PlaybookEntity,
  PlaybookVersionEntity,
  RunEntity,
  RunStepEntity,
  ApprovalEntity,
  SentEmailEntity,
  AccountEventEntity,
  TaskEntity,
  RunActionEntity,
  RunMilestoneEntity,
  SegmentMembershipEntity,
  StakeholderChangeEntity,
  SuccessPlanEntity,
  SuccessObjectiveEntity,
  AccountExternalIdEntity,
  AccountFieldEntity,
  SessionEntity,
  ApiTokenEntity,
  AuditEntryEntity,
];

/** In order; a new migration is appended here in the same commit as its file. */
export const migrations = [Init1763870400000, PeopleMapRoles1764000000000, CancelledApprovals1764100000000, EngineData1764200000000, SegmentRules1764350000000, PlaybookLifecycle1764360000000, PeopleMapHistory1764370000000, SuccessPlans1764380000000, AccountFields1764450000000, StepStartedReason1764460000000, Access1764463000000, WorkItems1764470000000, ListIndexes1764480000000];

export const DEFAULT_DATABASE_URL = 'postgres://cairn:cairn@127.0.0.1:54329/cairn';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/** The schema comes from migrations only: `synchronize` stays off everywhere. */
export function createDataSource(url = databaseUrl()): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // Enrollment holds a connection while it starts the workflow: size the pool for that (DB_POOL_SIZE).
    poolSize: Number(process.env.DB_POOL_SIZE ?? 20),
  });
}

/** Applies pending migrations; returns the names of those it ran. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
