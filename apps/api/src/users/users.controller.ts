import { userSchema } from '@cairn/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodResponse } from '../common/openapi';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'People on our side: CSMs, managers, ops' })
  @ApiZodResponse(200, z.array(userSchema))
  list() {
    return this.users.list();
  }
}
