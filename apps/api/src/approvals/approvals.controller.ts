import {
  type CreateCommentRequest,
  createCommentRequestSchema,
  type ListCommentsQuery,
  listCommentsQuerySchema,
  type ReassignRequest,
  approvalWithEngineSchema,
  reassignRequestSchema,
  type SnoozeRequest,
  snoozeRequestSchema,
  snoozeResponseSchema,
  workItemCommentPageSchema,
  workItemCommentSchema,
} from '@cairn/contracts';
import { approvalPageSchema, approvalSchema, type DecideApprovalRequest, decideApprovalRequestSchema, idParamSchema, type ListApprovalsQuery, listApprovalsQuerySchema } from '@cairn/contracts';
import { Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { WorkItemsService } from '../work-items/work-items.service';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@Controller('approvals')
export class ApprovalsController {
  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(WorkItemsService) private readonly workItems: WorkItemsService,
  ) {}

  @Get()
  @Requires('approvals:read')
  @ApiOperation({ summary: 'Approvals, a page at a time (filter by status, assignee, account, playbook, SLA state); due first, undated last' })
  @ApiZodQuery(listApprovalsQuerySchema)
  @ApiZodResponse(200, approvalPageSchema)
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
  @ApiZodResponse(200, approvalWithEngineSchema, 'The decided approval, with the engine’s answer: what the Update returned and the run’s live state right after')
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to decide (another CSM’s account, another team’s)')
  @ApiErrorResponse(409, 'Already decided or expired, or the run no longer waits for it')
  @ApiErrorResponse(503, 'Temporal cannot be reached; the decision was not recorded')
  decide(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(decideApprovalRequestSchema) body: DecideApprovalRequest) {
    return this.approvals.decide(principal, id, body);
  }

  @Post(':id/reassign')
  @Requires('approvals:decide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the approval to another person; the run then takes the answer from them', description: 'The assignee, their manager, ops or an admin may; the new assignee must be an active person who may work it. The run’s validator has the last word (409 with its reason).' })
  @ApiIdParam('approval')
  @ApiZodBody(reassignRequestSchema)
  @ApiZodResponse(200, approvalWithEngineSchema, 'The approval, reassigned, with the engine’s answer: what the Update returned and the run’s live state right after')
  @ApiErrorResponse(400, 'No such person, deactivated, or one who may not work on approvals')
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to reassign')
  @ApiErrorResponse(409, 'Already closed, already assigned to them, or the run refused it')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was changed')
  reassign(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(reassignRequestSchema) body: ReassignRequest) {
    return this.workItems.reassign(principal, 'approval', id, body);
  }

  @Post(':id/snooze')
  @Requires('approvals:decide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide the approval from inbox views until a time (null: show it again)', description: 'At most 30 days ahead. The run is not told: its SLA and escalation keep running, also past a snooze that ends after the due date.' })
  @ApiIdParam('approval')
  @ApiZodBody(snoozeRequestSchema)
  @ApiZodResponse(200, snoozeResponseSchema)
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to snooze')
  @ApiErrorResponse(409, 'Already closed')
  snooze(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(snoozeRequestSchema) body: SnoozeRequest) {
    return this.workItems.snooze(principal, 'approval', id, body);
  }

  @Delete(':id/snooze')
  @Requires('approvals:decide')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the snooze: the approval shows in inbox views again' })
  @ApiIdParam('approval')
  @ApiZodResponse(200, snoozeResponseSchema)
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to snooze')
  @ApiErrorResponse(409, 'Already closed')
  unsnooze(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams) {
    return this.workItems.snooze(principal, 'approval', id, { until: null });
  }

  @Get(':id/comments')
  @Requires('approvals:read')
  @ApiOperation({ summary: 'The approval’s comment thread, oldest first (with what was said at decisions, reassignments and snoozes)' })
  @ApiIdParam('approval')
  @ApiZodQuery(listCommentsQuerySchema)
  @ApiZodResponse(200, workItemCommentPageSchema)
  @ApiErrorResponse(404, 'No such approval')
  comments(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listCommentsQuerySchema) query: ListCommentsQuery) {
    return this.workItems.comments('approval', id, query);
  }

  @Post(':id/comments')
  @Requires('approvals:decide')
  @ApiOperation({ summary: 'Comment on the approval as the signed-in person', description: 'Whoever may act on it or reassign it.' })
  @ApiIdParam('approval')
  @ApiZodBody(createCommentRequestSchema)
  @ApiZodResponse(201, workItemCommentSchema)
  @ApiErrorResponse(404, 'No such approval')
  @ApiErrorResponse(403, 'Not yours to comment on')
  comment(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(createCommentRequestSchema) body: CreateCommentRequest) {
    return this.workItems.addComment(principal, 'approval', id, body);
  }
}
