import { idParamSchema } from '@cairn/contracts';
import { AccountEntity } from '@cairn/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { parseRequest } from '../common/validation';
import { toAccount } from './accounts.mapper';

const relations = { segment: true, csm: true, stakeholders: true } as const;

@Injectable()
export class AccountsService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list() {
    const accounts = await this.dataSource.getRepository(AccountEntity).find({ relations, order: { name: 'ASC' } });
    return accounts.map(toAccount);
  }

  async get(params: unknown) {
    const { id } = parseRequest(idParamSchema, params, 'params');
    const account = await this.dataSource.getRepository(AccountEntity).findOne({ where: { id }, relations });
    if (!account) throw new NotFoundError('Account', id);
    return toAccount(account);
  }
}
