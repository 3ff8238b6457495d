import { type CancelRunRequest, cancelRunRequestSchema, type EnrollRequest, enrollRequestSchema, idParamSchema, runSchema, runSummarySchema, sentEmailSchema } from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type IdParams, type ListRunsQuery, listRunsQuerySchema } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller()
export class RunsController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post('playbooks/:id/enrollments')
  @HttpCode(201)
  @ApiOperation({ summary: 'Enroll an account: start one run of the latest published version' })
  @ApiIdParam('playbook')
  @ApiZodBody(enrollRequestSchema)
  @ApiZodResponse(201, runSchema, 'The run, started')
  @ApiErrorResponse(404, 'No such playbook or account')
  @ApiErrorResponse(409, 'Never published, or already running for this account')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was written')
  enroll(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(enrollRequestSchema) body: EnrollRequest) {
    return this.runs.enroll(id, body);
  }

  @Get('runs')
  @ApiOperation({ summary: 'Runs, newest first (filter by accountId, playbookId)' })
  @ApiZodQuery(listRunsQuerySchema)
  @ApiZodResponse(200, z.array(runSummarySchema))
  list(@ZodQuery(listRunsQuerySchema) query: ListRunsQuery) {
    return this.runs.list(query);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'A run with its step history (what fired, when and why), its side effects, milestones and live state' })
  @ApiIdParam('run')
  @ApiZodResponse(200, runSchema)
  @ApiErrorResponse(404, 'No such run')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.runs.get(id, { live: true });
  }

  @Post('runs/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a running run: it stops wherever it is and records who cancelled it and why' })
  @ApiIdParam('run')
  @ApiZodBody(cancelRunRequestSchema)
  @ApiZodResponse(202, runSchema, 'Cancellation requested; the run shows it within moments')
  @ApiErrorResponse(404, 'No such run')
  @ApiErrorResponse(409, 'The run is not running')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was changed')
  cancel(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(cancelRunRequestSchema) body: CancelRunRequest) {
    return this.runs.cancel(id, body);
  }

  @Get('runs/:id/emails')
  @ApiOperation({ summary: 'Emails the run sent, with the step and approval each came from' })
  @ApiIdParam('run')
  @ApiZodResponse(200, z.array(sentEmailSchema))
  @ApiErrorResponse(404, 'No such run')
  emails(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.runs.emails(id);
  }
}
