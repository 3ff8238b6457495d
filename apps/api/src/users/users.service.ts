import type { User } from '@cairn/contracts';
import { UsersRepository } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toUser } from './users.mapper';

@Injectable()
export class UsersService {
  private readonly users: UsersRepository;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.users = new UsersRepository(dataSource.manager);
  }

  async list(): Promise<User[]> {
    return (await this.users.list()).map(toUser);
  }
}
