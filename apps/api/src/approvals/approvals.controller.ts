import { decideApprovalRequestSchema } from '@cairn/contracts';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../common/openapi';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Get()
  @ApiOperation({ summary: 'The approvals inbox (filter by status, assigneeId); due first' })
  list(@Query() query: unknown) {
    return this.approvals.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One approval with the touch it would send' })
  get(@Param() params: unknown) {
    return this.approvals.get(params);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or reject; the waiting run resumes (409 if already decided)' })
  @ApiZodBody(decideApprovalRequestSchema)
  decide(@Param() params: unknown, @Body() body: unknown) {
    return this.approvals.decide(params, body);
  }
}
