import { UserEntity } from '@cairn/db';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { toUser } from './users.mapper';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'People on our side: CSMs, managers, ops' })
  async list() {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { name: 'ASC' } });
    return users.map(toUser);
  }
}
