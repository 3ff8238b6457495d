import {
  accountSegmentsSchema,
  type AssignSegmentRequest,
  assignSegmentRequestSchema,
  type CreateSegmentRequest,
  createSegmentRequestSchema,
  idParamSchema,
  type ListAccountSegmentsQuery,
  listAccountSegmentsQuerySchema,
  type ListSegmentMembersQuery,
  listSegmentMembersQuerySchema,
  type ListSegmentsQuery,
  listSegmentsQuerySchema,
  type PreviewSegmentRequest,
  previewSegmentRequestSchema,
  segmentMemberPageSchema,
  segmentMembershipPageSchema,
  segmentPageSchema,
  segmentPreviewSchema,
  segmentSchema,
  type UpdateSegmentRequest,
  updateSegmentRequestSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { SegmentsService } from './segments.service';

@ApiTags('segments')
@Controller()
export class SegmentsController {
  constructor(@Inject(SegmentsService) private readonly segments: SegmentsService) {}

  @Get('segments')
  @Requires('accounts:read')
  @ApiOperation({
    summary: 'Segments by priority, with their rule, coverage model and member count (a short list, paged like every other: limit, cursor = nextCursor)',
    description: 'Archived ones only with `includeArchived=true`. `kind`: rule or manual; `touchModel`; `q` searches the name and key.',
  })
  @ApiZodQuery(listSegmentsQuerySchema)
  @ApiZodResponse(200, segmentPageSchema)
  list(@ZodQuery(listSegmentsQuerySchema) query: ListSegmentsQuery) {
    return this.segments.list(query);
  }

  @Post('segments')
  @Requires('segments:write')
  @ApiOperation({ summary: 'Create a segment: with a rule its members are computed at once (and announced); without one it is manual' })
  @ApiZodBody(createSegmentRequestSchema)
  @ApiZodResponse(201, segmentSchema)
  @ApiErrorResponse(409, 'A segment with that key exists')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createSegmentRequestSchema) body: CreateSegmentRequest) {
    return this.segments.create(principal, body);
  }

  @Post('segments/preview')
  @Requires('accounts:read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Who a rule matches now, why, and who is one comparison short: before saving it' })
  @ApiZodBody(previewSegmentRequestSchema)
  @ApiZodResponse(200, segmentPreviewSchema)
  preview(@ZodBody(previewSegmentRequestSchema) body: PreviewSegmentRequest) {
    return this.segments.preview(body);
  }

  @Get('segments/:id')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'One segment' })
  @ApiIdParam('segment')
  @ApiZodResponse(200, segmentSchema)
  @ApiErrorResponse(404, 'No such segment')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.segments.get(id);
  }

  @Patch('segments/:id')
  @Requires('segments:write')
  @ApiOperation({ summary: 'Change a segment; a new rule or priority recomputes membership and announces who entered and left' })
  @ApiIdParam('segment')
  @ApiZodBody(updateSegmentRequestSchema)
  @ApiZodResponse(200, segmentSchema)
  @ApiErrorResponse(404, 'No such segment')
  @ApiErrorResponse(409, 'Archived, or a change between rule and manual that would strand accounts')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateSegmentRequestSchema) body: UpdateSegmentRequest) {
    return this.segments.update(principal, id, body);
  }

  @Post('segments/:id/archive')
  @Requires('segments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a segment: its members leave it (announced as segment.exited)' })
  @ApiIdParam('segment')
  @ApiZodResponse(200, segmentSchema)
  @ApiErrorResponse(404, 'No such segment')
  @ApiErrorResponse(409, 'Accounts are assigned to it')
  archive(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams) {
    return this.segments.archive(principal, id);
  }

  @Get('segments/:id/members')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'The accounts in a segment now, by name, with when and why they entered (pages: limit, cursor = nextCursor)' })
  @ApiIdParam('segment')
  @ApiZodQuery(listSegmentMembersQuerySchema)
  @ApiZodResponse(200, segmentMemberPageSchema)
  @ApiErrorResponse(404, 'No such segment')
  members(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listSegmentMembersQuerySchema) query: ListSegmentMembersQuery) {
    return this.segments.members(id, query);
  }

  @Get('accounts/:id/segments')
  @Requires('accounts:read')
  @ApiOperation({
    summary: 'Every segment membership the account had, newest entry first (pages: limit, cursor = nextCursor)',
    description: '`current=true` keeps the segments it is in now, `current=false` those it left. Its own and assigned segment are on the account (GET /api/accounts/:id).',
  })
  @ApiIdParam('account')
  @ApiZodQuery(listAccountSegmentsQuerySchema)
  @ApiZodResponse(200, segmentMembershipPageSchema)
  @ApiErrorResponse(404, 'No such account')
  history(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listAccountSegmentsQuerySchema) query: ListAccountSegmentsQuery) {
    return this.segments.historyOf(id, query);
  }

  @Put('accounts/:id/segment')
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Assign an account to a manual segment; its membership follows (announced)' })
  @ApiIdParam('account')
  @ApiZodBody(assignSegmentRequestSchema)
  @ApiZodResponse(200, accountSegmentsSchema, 'The account’s own segment and its assigned segment, after the change')
  @ApiErrorResponse(403, 'A CSM assigns only accounts they own; a CS manager those of their team')
  @ApiErrorResponse(404, 'No such account')
  assign(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(assignSegmentRequestSchema) body: AssignSegmentRequest) {
    return this.segments.assign(principal, id, body);
  }
}
