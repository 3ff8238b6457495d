import { enrollRequestSchema } from '@cairn/contracts';
import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../common/openapi';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller()
export class RunsController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Post('playbooks/:id/enrollments')
  @ApiOperation({ summary: 'Enroll an account: start one run of the latest published version (409 if one is running)' })
  @ApiZodBody(enrollRequestSchema)
  enroll(@Param() params: unknown, @Body() body: unknown) {
    return this.runs.enroll(params, body);
  }

  @Get('runs')
  @ApiOperation({ summary: 'Runs, newest first (filter by accountId, playbookId)' })
  list(@Query() query: unknown) {
    return this.runs.list(query);
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'A run with its step history: what fired, when and why' })
  get(@Param() params: unknown) {
    return this.runs.get(params);
  }

  @Get('runs/:id/emails')
  @ApiOperation({ summary: 'Emails the run sent, with the step and approval each came from' })
  emails(@Param() params: unknown) {
    return this.runs.emails(params);
  }
}
