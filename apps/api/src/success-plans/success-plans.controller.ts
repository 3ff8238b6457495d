import {
  type CreateObjectiveRequest,
  createObjectiveRequestSchema,
  idParamSchema,
  type ObjectiveAgreementRequest,
  objectiveAgreementRequestSchema,
  type ObjectiveParams,
  objectiveParamsSchema,
  successPlanSchema,
  type UpdateObjectiveRequest,
  updateObjectiveRequestSchema,
  type UpdateSuccessPlanRequest,
  updateSuccessPlanRequestSchema,
} from '@cairn/contracts';
import { Controller, Delete, Get, HttpCode, Inject, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams } from '../common/validation';
import { SuccessPlansService } from './success-plans.service';

const ApiObjectiveParam = () => ApiParam({ name: 'objectiveId', description: 'The objective id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('success plans')
@Controller('accounts/:id/success-plan')
export class SuccessPlansController {
  constructor(@Inject(SuccessPlansService) private readonly plans: SuccessPlansService) {}

  @Get()
  @Requires('accounts:read')
  @ApiOperation({ summary: 'The account’s success plan: strategy, objectives (green or red, and why), agreement, joint accountabilities' })
  @ApiIdParam('account')
  @ApiZodResponse(200, successPlanSchema)
  @ApiErrorResponse(404, 'No such account')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.plans.get(id);
  }

  @Put()
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Set the strategy (one line)' })
  @ApiIdParam('account')
  @ApiZodBody(updateSuccessPlanRequestSchema)
  @ApiZodResponse(200, successPlanSchema)
  @ApiErrorResponse(404, 'No such account')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateSuccessPlanRequestSchema) body: UpdateSuccessPlanRequest) {
    return this.plans.update(principal, id, body);
  }

  @Post('objectives')
  @Requires('accounts:write')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an objective: what success means, how it is measured on the account’s data, by when' })
  @ApiIdParam('account')
  @ApiZodBody(createObjectiveRequestSchema)
  @ApiZodResponse(201, successPlanSchema)
  @ApiErrorResponse(404, 'No such account')
  add(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(createObjectiveRequestSchema) body: CreateObjectiveRequest) {
    return this.plans.addObjective(principal, id, body);
  }

  @Patch('objectives/:objectiveId')
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Change an objective, or mark it green or red yourself (override: null hands it back to its measure)' })
  @ApiIdParam('account')
  @ApiObjectiveParam()
  @ApiZodBody(updateObjectiveRequestSchema)
  @ApiZodResponse(200, successPlanSchema)
  @ApiErrorResponse(404, 'No such account or objective')
  change(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(objectiveParamsSchema) { id, objectiveId }: ObjectiveParams, @ZodBody(updateObjectiveRequestSchema) body: UpdateObjectiveRequest) {
    return this.plans.updateObjective(principal, id, objectiveId, body);
  }

  @Delete('objectives/:objectiveId')
  @Requires('accounts:write')
  @ApiOperation({ summary: 'Remove an objective' })
  @ApiIdParam('account')
  @ApiObjectiveParam()
  @ApiZodResponse(200, successPlanSchema)
  @ApiErrorResponse(404, 'No such account or objective')
  remove(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(objectiveParamsSchema) { id, objectiveId }: ObjectiveParams) {
    return this.plans.removeObjective(principal, id, objectiveId);
  }

  @Post('objectives/:objectiveId/agreement')
  @Requires('accounts:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the customer’s agreement to an objective (a stakeholder of the account)' })
  @ApiIdParam('account')
  @ApiObjectiveParam()
  @ApiZodBody(objectiveAgreementRequestSchema)
  @ApiZodResponse(200, successPlanSchema)
  @ApiErrorResponse(404, 'No such account or objective')
  agree(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(objectiveParamsSchema) { id, objectiveId }: ObjectiveParams, @ZodBody(objectiveAgreementRequestSchema) body: ObjectiveAgreementRequest) {
    return this.plans.agree(principal, id, objectiveId, body);
  }
}
