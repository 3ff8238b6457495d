import { approvalSchema, type DecideApprovalRequest, decideApprovalRequestSchema, idParamSchema, listApprovalsQuerySchema } from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { IdParams, ListApprovalsQuery } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Get()
  @ApiOperation({ summary: 'The approvals inbox (filter by status, assigneeId); due first' })
  @ApiZodQuery(listApprovalsQuerySchema)
  @ApiZodResponse(200, z.array(approvalSchema))
  list(@ZodQuery(listApprovalsQuerySchema) query: ListApprovalsQuery) {
    return this.approvals.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One approval with the touch it would send' })
  @ApiIdParam('approval')
  @ApiZodResponse(200, approvalSchema)
  @ApiErrorResponse(404, 'No such approval')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.approvals.get(id);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or reject; the waiting run resumes' })
  @ApiIdParam('approval')
  @ApiZodBody(decideApprovalRequestSchema)
  @ApiZodResponse(200, approvalSchema, 'The decided approval')
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(409, 'Already decided or expired, or the run no longer waits for it')
  @ApiErrorResponse(503, 'Temporal cannot be reached; the decision was not recorded')
  decide(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(decideApprovalRequestSchema) body: DecideApprovalRequest) {
    return this.approvals.decide(id, body);
  }
}
