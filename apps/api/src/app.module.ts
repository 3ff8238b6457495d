import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { AccountChangeSignals } from './accounts/account-change-signals';
import { AccountFieldsController } from './accounts/account-fields.controller';
import { AccountFieldsService } from './accounts/account-fields.service';
import { AccountImportService } from './accounts/account-import.service';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalsService } from './approvals/approvals.service';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { AccessGuard } from './auth/access.guard';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { ErrorFilter } from './common/error.filter';
import { ResponseValidationInterceptor } from './common/response-validation';
import { API_CONFIG, type ApiConfig } from './config';
import { DatabaseModule } from './database/database.module';
import { EventEnrollerProvider } from './events/event-enroller';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { HealthController } from './health/health.controller';
import { PeopleController } from './people/people.controller';
import { PeopleService } from './people/people.service';
import { PlaybooksController } from './playbooks/playbooks.controller';
import { PlaybooksService } from './playbooks/playbooks.service';
import { TriggerSchedules } from './playbooks/trigger-schedules';
import { RunDetails } from './runs/run-details';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { SegmentMembership } from './segments/segment-membership';
import { SegmentSweep } from './segments/segment-sweep';
import { SegmentsController } from './segments/segments.controller';
import { SegmentsService } from './segments/segments.service';
import { SuccessPlansController } from './success-plans/success-plans.controller';
import { SuccessPlansService } from './success-plans/success-plans.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { RunSignals } from './temporal/run-signals';
import { TemporalModule } from './temporal/temporal.module';
import { TokensController } from './tokens/tokens.controller';
import { TokensService } from './tokens/tokens.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { InboxController } from './work-items/inbox.controller';
import { WorkItemsService } from './work-items/work-items.service';

@Module({})
export class AppModule {
  static forConfig(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      // DiscoveryModule: routes are listed at start to check each declares its access (auth/routes.ts).
      imports: [DatabaseModule, TemporalModule, DiscoveryModule],
      controllers: [
        HealthController,
        AuthController,
        UsersController,
        TokensController,
        AuditController,
        AccountsController,
        AccountFieldsController,
        PlaybooksController,
        RunsController,
        ApprovalsController,
        EventsController,
        TasksController,
        InboxController,
        SegmentsController,
        PeopleController,
        SuccessPlansController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: ErrorFilter },
        // Every route is authorized by one guard that fails closed (auth/access.guard.ts).
        { provide: APP_GUARD, useClass: AccessGuard },
        // Every answer is checked against the schema its route declares (common/response-validation.ts).
        { provide: APP_INTERCEPTOR, useClass: ResponseValidationInterceptor },
        AuditService,
        WorkItemsService,
        AuthService,
        UsersService,
        TokensService,
        AccountsService,
        AccountChangeSignals,
        AccountFieldsService,
        AccountImportService,
        PlaybooksService,
        RunsService,
        ApprovalsService,
        RunSignals,
        RunDetails,
        EventsService,
        EventEnrollerProvider,
        TasksService,
        SegmentsService,
        SegmentMembership,
        SegmentSweep,
        PeopleService,
        SuccessPlansService,
        TriggerSchedules,
      ],
      exports: [API_CONFIG],
    };
  }
}
