import type { Account } from '@cairn/contracts';
import { type Repositories, repositories } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { toAccount } from './accounts.mapper';

@Injectable()
export class AccountsService {
  private readonly db: Repositories;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.db = repositories(dataSource.manager);
  }

  async list(): Promise<Account[]> {
    return (await this.db.accounts.list()).map(toAccount);
  }

  async get(id: string): Promise<Account> {
    const account = await this.db.accounts.findById(id);
    if (!account) throw new NotFoundError('Account', id);
    return toAccount(account);
  }
}
