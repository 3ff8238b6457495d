import { approvalSchema, type DecideApprovalRequest, decideApprovalRequestSchema, idParamSchema, listApprovalsQuerySchema } from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams, ListApprovalsQuery } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Get()
  @Requires('approvals:read')
  @ApiOperation({ summary: 'The approvals inbox (filter by status, assigneeId); due first' })
  @ApiZodQuery(listApprovalsQuerySchema)
  @ApiZodResponse(200, z.array(approvalSchema))
  list(@ZodQuery(listApprovalsQuerySchema) query: ListApprovalsQuery) {
    return this.approvals.list(query);
  }

  @Get(':id')
  @Requires('approvals:read')
  @ApiOperation({ summary: 'One approval with the touch it would send' })
  @ApiIdParam('approval')
  @ApiZodResponse(200, approvalSchema)
  @ApiErrorResponse(404, 'No such approval')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.approvals.get(id);
  }

  @Post(':id/decision')
  @Requires('approvals:decide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or reject as the signed-in person; the waiting run resumes', description: 'A CSM decides on accounts they own or where they are the assignee; a CS manager also for their team; ops only where assigned; admins anywhere.' })
  @ApiIdParam('approval')
  @ApiZodBody(decideApprovalRequestSchema)
  @ApiZodResponse(200, approvalSchema, 'The decided approval')
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to decide (another CSM’s account, another team’s)')
  @ApiErrorResponse(409, 'Already decided or expired, or the run no longer waits for it')
  @ApiErrorResponse(503, 'Temporal cannot be reached; the decision was not recorded')
  decide(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(decideApprovalRequestSchema) body: DecideApprovalRequest) {
    return this.approvals.decide(principal, id, body);
  }
}
