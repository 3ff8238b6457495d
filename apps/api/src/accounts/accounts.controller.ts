import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts with their segment, CSM and people map' })
  list() {
    return this.accounts.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account' })
  get(@Param() params: unknown) {
    return this.accounts.get(params);
  }
}
