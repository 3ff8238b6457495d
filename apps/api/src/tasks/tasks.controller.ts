import { type CompleteTaskRequest, completeTaskRequestSchema, idParamSchema, type ListTasksQuery, listTasksQuerySchema, taskSchema } from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get()
  @Requires('tasks:read')
  @ApiOperation({ summary: 'The tasks inbox (filter by status, assigneeId, accountId); due first' })
  @ApiZodQuery(listTasksQuerySchema)
  @ApiZodResponse(200, z.array(taskSchema))
  list(@ZodQuery(listTasksQuerySchema) query: ListTasksQuery) {
    return this.tasks.list(query);
  }

  @Get(':id')
  @Requires('tasks:read')
  @ApiOperation({ summary: 'One task' })
  @ApiIdParam('task')
  @ApiZodResponse(200, taskSchema)
  @ApiErrorResponse(404, 'No such task')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.tasks.get(id);
  }

  @Post(':id/complete')
  @Requires('tasks:complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a task done as the signed-in person; the run waiting on it moves on' })
  @ApiIdParam('task')
  @ApiZodBody(completeTaskRequestSchema)
  @ApiZodResponse(200, taskSchema, 'The task, done')
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to complete (another CSM’s account, another team’s)')
  @ApiErrorResponse(409, 'Already done or cancelled, completes on its own (event, condition), or the run refused it (not its owner or a manager, or no longer waiting)')
  @ApiErrorResponse(503, 'Temporal cannot be reached; the completion was not recorded')
  complete(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(completeTaskRequestSchema) body: CompleteTaskRequest) {
    return this.tasks.complete(principal, id, body);
  }
}
