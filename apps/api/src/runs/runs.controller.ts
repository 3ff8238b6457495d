import {
  type BulkEnrollRequest,
  bulkEnrollRequestSchema,
  bulkEnrollResponseSchema,
  type CancelRunRequest,
  cancelRunRequestSchema,
  type EnrollRequest,
  enrollRequestSchema,
  idParamSchema,
  type ListRunEmailsQuery,
  listRunEmailsQuerySchema,
  type ListRunsQuery,
  listRunsQuerySchema,
  runSchema,
  runSummaryPageSchema,
  sentEmailPageSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller()
export class RunsController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post('playbooks/:id/enrollments')
  @Requires('runs:enroll')
  @HttpCode(201)
  @ApiOperation({ summary: 'Enroll an account: start one run of the latest published version' })
  @ApiIdParam('playbook')
  @ApiZodBody(enrollRequestSchema)
  @ApiZodResponse(201, runSchema, 'The run, started')
  @ApiErrorResponse(404, 'No such playbook or account')
  @ApiErrorResponse(409, 'Never published, or already running for this account')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was written')
  enroll(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(enrollRequestSchema) body: EnrollRequest) {
    return this.runs.enroll(principal, id, body);
  }

  @Post('playbooks/:id/enrollments/bulk')
  @Requires('runs:enroll')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enroll many accounts: a list (accountIds, 1 to 10,000) or every account of a segment (segmentId)',
    description:
      'Idempotent: an account whose run is open is skipped (`already_running`, naming the run), so the same request again enrolls nobody twice and retries the ones that `failed`. Each account is answered once: enrolled, skipped with the reason (audience, re-entry policy, running already, `not_found`), or failed to start (its run was removed).',
  })
  @ApiIdParam('playbook')
  @ApiZodBody(bulkEnrollRequestSchema, 'Exactly one of accountIds and segmentId; the reason is recorded on each run')
  @ApiZodResponse(200, bulkEnrollResponseSchema, 'Each account: enrolled, skipped or failed')
  @ApiErrorResponse(404, 'No such playbook or segment')
  @ApiErrorResponse(409, 'The playbook was never published')
  enrollMany(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(bulkEnrollRequestSchema) body: BulkEnrollRequest) {
    return this.runs.enrollMany(principal, id, body);
  }

  @Get('runs')
  @Requires('runs:read')
  @ApiOperation({
    summary: 'Runs, newest first by start (pages: limit, cursor = nextCursor)',
    description: 'Filters: `accountId`, `playbookId`, `status`, `startedAfter` (on or after) and `startedBefore` (strictly before).',
  })
  @ApiZodQuery(listRunsQuerySchema)
  @ApiZodResponse(200, runSummaryPageSchema)
  list(@ZodQuery(listRunsQuerySchema) query: ListRunsQuery) {
    return this.runs.list(query);
  }

  @Get('runs/:id')
  @Requires('runs:read')
  @ApiOperation({ summary: 'A run with its step history (what fired, when and why), its side effects, milestones and live state' })
  @ApiIdParam('run')
  @ApiZodResponse(200, runSchema)
  @ApiErrorResponse(404, 'No such run')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.runs.get(id, { live: true });
  }

  @Post('runs/:id/cancel')
  @Requires('runs:cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a running run: it stops wherever it is and records who cancelled it and why' })
  @ApiIdParam('run')
  @ApiZodBody(cancelRunRequestSchema)
  @ApiZodResponse(202, runSchema, 'Cancellation requested; the run shows it within moments')
  @ApiErrorResponse(404, 'No such run')
  @ApiErrorResponse(403, 'Not yours to cancel (another CSM’s account, another team’s)')
  @ApiErrorResponse(409, 'The run is not running')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was changed')
  cancel(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(cancelRunRequestSchema) body: CancelRunRequest) {
    return this.runs.cancel(principal, id, body);
  }

  @Get('runs/:id/emails')
  @Requires('runs:read')
  @ApiOperation({ summary: 'Emails the run sent, in the order it sent them, with the step and approval each came from (a short list, paged like every other: limit, cursor = nextCursor)' })
  @ApiIdParam('run')
  @ApiZodQuery(listRunEmailsQuerySchema)
  @ApiZodResponse(200, sentEmailPageSchema)
  @ApiErrorResponse(404, 'No such run')
  emails(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listRunEmailsQuerySchema) query: ListRunEmailsQuery) {
    return this.runs.emails(id, query);
  }
}
