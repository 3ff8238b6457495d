import {
  type CreateCommentRequest,
  createCommentRequestSchema,
  type ListCommentsQuery,
  listCommentsQuerySchema,
  type ReassignRequest,
  reassignRequestSchema,
  type SnoozeRequest,
  snoozeRequestSchema,
  snoozeResponseSchema,
  taskWithEngineSchema,
  workItemCommentPageSchema,
  workItemCommentSchema,
} from '@cairn/contracts';
import { type CompleteTaskRequest, completeTaskRequestSchema, idParamSchema, type ListTasksQuery, listTasksQuerySchema, taskPageSchema, taskSchema } from '@cairn/contracts';
import { Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { WorkItemsService } from '../work-items/work-items.service';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TasksService) private readonly tasks: TasksService,
    @Inject(WorkItemsService) private readonly workItems: WorkItemsService,
  ) {}

  @Get()
  @Requires('tasks:read')
  @ApiOperation({ summary: 'Tasks, a page at a time (filter by status, assignee, account, playbook, SLA state); due first' })
  @ApiZodQuery(listTasksQuerySchema)
  @ApiZodResponse(200, taskPageSchema)
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
  @ApiZodResponse(200, taskWithEngineSchema, 'The task, done, with the engine’s answer: what the Update returned and the run’s live state right after')
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to complete (another CSM’s account, another team’s)')
  @ApiErrorResponse(409, 'Already done or cancelled, completes on its own (event, condition), or the run refused it (not its owner or a manager, or no longer waiting)')
  @ApiErrorResponse(503, 'Temporal cannot be reached; the completion was not recorded')
  complete(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(completeTaskRequestSchema) body: CompleteTaskRequest) {
    return this.tasks.complete(principal, id, body);
  }

  @Post(':id/reassign')
  @Requires('tasks:complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the task to another person; the run then takes the answer from them', description: 'The assignee, their manager, ops or an admin may; the new assignee must be an active person who may work it. The run’s validator has the last word (409 with its reason).' })
  @ApiIdParam('task')
  @ApiZodBody(reassignRequestSchema)
  @ApiZodResponse(200, taskWithEngineSchema, 'The task, reassigned, with the engine’s answer: what the Update returned and the run’s live state right after')
  @ApiErrorResponse(400, 'No such person, deactivated, or one who may not work on tasks')
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to reassign')
  @ApiErrorResponse(409, 'Already closed, already assigned to them, or the run refused it')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was changed')
  reassign(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(reassignRequestSchema) body: ReassignRequest) {
    return this.workItems.reassign(principal, 'task', id, body);
  }

  @Post(':id/snooze')
  @Requires('tasks:complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide the task from inbox views until a time (null: show it again)', description: 'At most 30 days ahead. The run is not told: its SLA and escalation keep running, also past a snooze that ends after the due date.' })
  @ApiIdParam('task')
  @ApiZodBody(snoozeRequestSchema)
  @ApiZodResponse(200, snoozeResponseSchema)
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to snooze')
  @ApiErrorResponse(409, 'Already closed')
  snooze(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(snoozeRequestSchema) body: SnoozeRequest) {
    return this.workItems.snooze(principal, 'task', id, body);
  }

  @Delete(':id/snooze')
  @Requires('tasks:complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the snooze: the task shows in inbox views again' })
  @ApiIdParam('task')
  @ApiZodResponse(200, snoozeResponseSchema)
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to snooze')
  @ApiErrorResponse(409, 'Already closed')
  unsnooze(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams) {
    return this.workItems.snooze(principal, 'task', id, { until: null });
  }

  @Get(':id/comments')
  @Requires('tasks:read')
  @ApiOperation({ summary: 'The task’s comment thread, oldest first (with what was said at decisions, reassignments and snoozes)' })
  @ApiIdParam('task')
  @ApiZodQuery(listCommentsQuerySchema)
  @ApiZodResponse(200, workItemCommentPageSchema)
  @ApiErrorResponse(404, 'No such task')
  comments(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listCommentsQuerySchema) query: ListCommentsQuery) {
    return this.workItems.comments('task', id, query);
  }

  @Post(':id/comments')
  @Requires('tasks:complete')
  @ApiOperation({ summary: 'Comment on the task as the signed-in person', description: 'Whoever may act on it or reassign it.' })
  @ApiIdParam('task')
  @ApiZodBody(createCommentRequestSchema)
  @ApiZodResponse(201, workItemCommentSchema)
  @ApiErrorResponse(404, 'No such task')
  @ApiErrorResponse(403, 'Not yours to comment on')
  comment(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(createCommentRequestSchema) body: CreateCommentRequest) {
    return this.workItems.addComment(principal, 'task', id, body);
  }
}
