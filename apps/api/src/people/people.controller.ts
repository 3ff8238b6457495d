import {
  type CreateStakeholderRequest,
  createStakeholderRequestSchema,
  type DeleteStakeholderRequest,
  deleteStakeholderRequestSchema,
  idParamSchema,
  type ListStakeholdersQuery,
  listStakeholdersQuerySchema,
  type MarkStakeholderLeftRequest,
  markStakeholderLeftRequestSchema,
  type StakeholderHistoryQuery,
  stakeholderHistoryPageSchema,
  stakeholderHistoryQuerySchema,
  type StakeholderParams,
  stakeholderPageSchema,
  stakeholderParamsSchema,
  stakeholderSchema,
  type UpdateStakeholderRequest,
  updateStakeholderRequestSchema,
} from '@cairn/contracts';
import { Controller, Delete, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiNoContent, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { PeopleService } from './people.service';

const ApiStakeholderParam = () => ApiParam({ name: 'sid', description: 'The stakeholder id', schema: { type: 'string', format: 'uuid' } });

const LEAVING = 'A champion or sponsor leaving the role (left, another role, deleted) emits `crm.champion_left` / `crm.sponsor_left`, stored and routed like POST /api/events. ';
const TOLD = 'Running playbooks of the account are told to re-read it after the commit.';

@ApiTags('people')
@Controller('accounts/:id/stakeholders')
export class PeopleController {
  constructor(@Inject(PeopleService) private readonly people: PeopleService) {}

  @Get()
  @Requires('accounts:read')
  @ApiOperation({ summary: 'The account’s people map: everyone by name, or by role and status (pages: limit, cursor = nextCursor)' })
  @ApiIdParam('account')
  @ApiZodQuery(listStakeholdersQuerySchema)
  @ApiZodResponse(200, stakeholderPageSchema)
  @ApiErrorResponse(404, 'No such account')
  list(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listStakeholdersQuerySchema) query: ListStakeholdersQuery) {
    return this.people.list(id, query);
  }

  @Post()
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Add someone to the people map', description: `Recorded as a change by the signed-in person or API token. ${TOLD}` })
  @ApiIdParam('account')
  @ApiZodBody(createStakeholderRequestSchema)
  @ApiZodResponse(201, stakeholderSchema)
  @ApiErrorResponse(404, 'No such account')
  @ApiErrorResponse(409, 'The email is in this account’s people map already (issues name body.email)')
  @ApiErrorResponse(503, 'Saved, but Temporal cannot be reached to tell the running playbooks')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(createStakeholderRequestSchema) body: CreateStakeholderRequest) {
    return this.people.create(principal, id, body);
  }

  // Declared before `:sid`, which would otherwise take "history" for an id.
  @Get('history')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'Every change to the account’s people map, newest first; `kind` keeps one kind of change (pages: limit, cursor = nextCursor)' })
  @ApiIdParam('account')
  @ApiZodQuery(stakeholderHistoryQuerySchema)
  @ApiZodResponse(200, stakeholderHistoryPageSchema)
  @ApiErrorResponse(404, 'No such account')
  accountHistory(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(stakeholderHistoryQuerySchema) query: StakeholderHistoryQuery) {
    return this.people.history(id, null, query);
  }

  @Get(':sid')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'One stakeholder' })
  @ApiIdParam('account')
  @ApiStakeholderParam()
  @ApiZodResponse(200, stakeholderSchema)
  @ApiErrorResponse(404, 'No such account, or no such stakeholder in it')
  get(@ZodParams(stakeholderParamsSchema) { id, sid }: StakeholderParams) {
    return this.people.get(id, sid);
  }

  @Patch(':sid')
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Change someone’s name, email, role, title, phone or primary mark (or bring them back: status "active")', description: `${LEAVING}${TOLD}` })
  @ApiIdParam('account')
  @ApiStakeholderParam()
  @ApiZodBody(updateStakeholderRequestSchema)
  @ApiZodResponse(200, stakeholderSchema, 'The stakeholder as changed')
  @ApiErrorResponse(404, 'No such account, or no such stakeholder in it')
  @ApiErrorResponse(409, 'The email is someone else’s in this account (issues name body.email)')
  @ApiErrorResponse(503, 'Temporal cannot be reached: nothing was saved if the change emits an event, else saved but the running playbooks were not told')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(stakeholderParamsSchema) { id, sid }: StakeholderParams, @ZodBody(updateStakeholderRequestSchema) body: UpdateStakeholderRequest) {
    return this.people.update(principal, id, sid, body);
  }

  @Post(':sid/left')
  @Requires('accounts:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that someone left the customer (why, and when)', description: `Someone who left already is left alone. ${LEAVING}${TOLD}` })
  @ApiIdParam('account')
  @ApiStakeholderParam()
  @ApiZodBody(markStakeholderLeftRequestSchema)
  @ApiZodResponse(200, stakeholderSchema, 'The stakeholder, now left')
  @ApiErrorResponse(404, 'No such account, or no such stakeholder in it')
  @ApiErrorResponse(503, 'Temporal cannot be reached: nothing was saved if the change emits an event, else saved but the running playbooks were not told')
  markLeft(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(stakeholderParamsSchema) { id, sid }: StakeholderParams, @ZodBody(markStakeholderLeftRequestSchema) body: MarkStakeholderLeftRequest) {
    return this.people.markLeft(principal, id, sid, body);
  }

  @Delete(':sid')
  @Requires('accounts:write')
  @HttpCode(204)
  @ApiNoContent('Deleted; the history stays')
  @ApiOperation({ summary: 'Remove someone entered by mistake (their history stays; someone who left is marked left instead)', description: `${LEAVING}${TOLD}` })
  @ApiIdParam('account')
  @ApiStakeholderParam()
  @ApiZodBody(deleteStakeholderRequestSchema)
  @ApiErrorResponse(404, 'No such account, or no such stakeholder in it')
  remove(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(stakeholderParamsSchema) { id, sid }: StakeholderParams, @ZodBody(deleteStakeholderRequestSchema) body: DeleteStakeholderRequest) {
    return this.people.remove(principal, id, sid, body);
  }

  @Get(':sid/history')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'Every change to one stakeholder (also after they were deleted), newest first; `kind` keeps one kind of change (pages: limit, cursor = nextCursor)' })
  @ApiIdParam('account')
  @ApiStakeholderParam()
  @ApiZodQuery(stakeholderHistoryQuerySchema)
  @ApiZodResponse(200, stakeholderHistoryPageSchema)
  @ApiErrorResponse(404, 'No such account, or nobody with that id in its people map or its history')
  history(@ZodParams(stakeholderParamsSchema) { id, sid }: StakeholderParams, @ZodQuery(stakeholderHistoryQuerySchema) query: StakeholderHistoryQuery) {
    return this.people.history(id, sid, query);
  }
}
