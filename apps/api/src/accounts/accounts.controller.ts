import { accountSchema, idParamSchema } from '@cairn/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodResponse } from '../common/openapi';
import { ZodParams } from '../common/validation';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts with their segment, CSM and people map' })
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
}
