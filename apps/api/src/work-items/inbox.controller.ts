import { inboxPageSchema, type InboxQuery, inboxQuerySchema } from '@cairn/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import { ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/validation';
import { WorkItemsService } from './work-items.service';

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(@Inject(WorkItemsService) private readonly workItems: WorkItemsService) {}

  @Get()
  @Requires('approvals:read')
  @ApiOperation({
    summary: 'The approvals-and-tasks inbox: pending approvals and open tasks in one list, due first',
    description:
      'view=mine (assigned to you), team (assigned to the people you manage), overdue (past due, among what you may act on), all. Snoozed items are left out until their snooze ends unless includeSnoozed=true. Each item has its SLA state (on_time, due_soon: within 24 hours, overdue, escalated).',
  })
  @ApiZodQuery(inboxQuerySchema)
  @ApiZodResponse(200, inboxPageSchema)
  list(@CurrentPrincipal() principal: RequestPrincipal, @ZodQuery(inboxQuerySchema) query: InboxQuery) {
    return this.workItems.inbox(principal, query);
  }
}
