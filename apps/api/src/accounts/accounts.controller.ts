import { accountSchema, idParamSchema, type UpdateAccountRequest, updateAccountRequestSchema } from '@cairn/contracts';
import { Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams } from '../common/validation';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts with their segment, CSM, people map and profile' })
  @ApiZodResponse(200, z.array(accountSchema))
  list() {
    return this.accounts.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account' })
  @ApiIdParam('account')
  @ApiZodResponse(200, accountSchema)
  @ApiErrorResponse(404, 'No such account')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.accounts.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change the account’s profile: timezone, attributes (null removes one), metrics; running playbooks re-read it',
    description: 'Merged into what is there. Attribute and metric names are lower snake case; `*_date` attributes are ISO dates; the timezone is an IANA name.',
  })
  @ApiIdParam('account')
  @ApiZodBody(updateAccountRequestSchema)
  @ApiZodResponse(200, accountSchema, 'The account as changed')
  @ApiErrorResponse(404, 'No such account')
  @ApiErrorResponse(503, 'Saved, but Temporal cannot be reached to tell the running playbooks; send the same request again')
  update(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateAccountRequestSchema) body: UpdateAccountRequest) {
    return this.accounts.update(id, body);
  }
}
