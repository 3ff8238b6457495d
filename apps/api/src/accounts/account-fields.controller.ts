import {
  type AccountField,
  type AccountFieldPage,
  accountFieldPageSchema,
  accountFieldParamsSchema,
  accountFieldSchema,
  type ListAccountFieldsQuery,
  listAccountFieldsQuerySchema,
  type CreateAccountFieldRequest,
  createAccountFieldRequestSchema,
  type UpdateAccountFieldRequest,
  updateAccountFieldRequestSchema,
} from '@cairn/contracts';
import { Controller, Get, Inject, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { AccountFieldsService } from './account-fields.service';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';

@ApiTags('accounts')
@Controller('account-fields')
export class AccountFieldsController {
  constructor(@Inject(AccountFieldsService) private readonly fields: AccountFieldsService) {}

  @Get()
  @Requires('accounts:read')
  @ApiOperation({ summary: 'The schema of account attributes: built-in and custom fields, in position order (a short list, paged like every other: limit, cursor = nextCursor)' })
  @ApiZodQuery(listAccountFieldsQuerySchema)
  @ApiZodResponse(200, accountFieldPageSchema)
  list(@ZodQuery(listAccountFieldsQuerySchema) query: ListAccountFieldsQuery): Promise<AccountFieldPage> {
    return this.fields.list(query);
  }

  @Post()
  @Requires('accounts:manage')
  @ApiOperation({
    summary: 'Add a custom attribute field',
    description: 'Types: string, number, boolean, date (the key ends in `_date`), enum (with options), currency (with an ISO 4217 code, USD unless given). A required field needs every account to have a value already.',
  })
  @ApiZodBody(createAccountFieldRequestSchema)
  @ApiZodResponse(201, accountFieldSchema)
  @ApiErrorResponse(409, 'A field with this key exists, or it cannot be required while accounts lack it')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createAccountFieldRequestSchema) body: CreateAccountFieldRequest): Promise<AccountField> {
    return this.fields.create(principal, body);
  }

  @Patch(':key')
  @Requires('accounts:manage')
  @ApiOperation({
    summary: 'Change a field: label, description, type, options, currency, required',
    description: 'A new type or options must fit every stored value (values whose text reads as the new type are converted, "40" → 40); otherwise 409 naming the accounts. A built-in field keeps its type.',
  })
  @ApiParam({ name: 'key', description: 'The field key (lower snake case)' })
  @ApiZodBody(updateAccountFieldRequestSchema)
  @ApiZodResponse(200, accountFieldSchema, 'The field as changed')
  @ApiErrorResponse(404, 'No such field')
  @ApiErrorResponse(409, 'Stored values would not fit; `issues` names each account')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(accountFieldParamsSchema) { key }: { key: string }, @ZodBody(updateAccountFieldRequestSchema) body: UpdateAccountFieldRequest): Promise<AccountField> {
    return this.fields.update(principal, key, body);
  }
}
