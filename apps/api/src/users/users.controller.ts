import { type CreateUserRequest, createUserRequestSchema, idParamSchema, type ListUsersQuery, listUsersQuerySchema, managedUserPageSchema, managedUserSchema, type UpdateUserRequest, updateUserRequestSchema } from '@cairn/contracts';
import { Controller, Get, Inject, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @Requires('users:manage')
  @ApiOperation({
    summary: 'Our people (CSMs, managers, ops, admins, viewers) by name, with whether each can sign in (pages: limit, cursor = nextCursor)',
    description: 'Filters: `role`, `active`, `managerId`; `q` searches the name and email.',
  })
  @ApiZodQuery(listUsersQuerySchema)
  @ApiZodResponse(200, managedUserPageSchema)
  list(@ZodQuery(listUsersQuerySchema) query: ListUsersQuery) {
    return this.users.list(query);
  }

  @Post()
  @Requires('users:manage')
  @ApiOperation({ summary: 'Add a user with a role, a manager and a first password (without one they cannot sign in)' })
  @ApiZodBody(createUserRequestSchema)
  @ApiZodResponse(201, managedUserSchema, 'Created')
  @ApiErrorResponse(409, 'A user with this email exists')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createUserRequestSchema) body: CreateUserRequest) {
    return this.users.create(principal, body);
  }

  @Patch(':id')
  @Requires('users:manage')
  @ApiOperation({ summary: 'Change a user: name, role, manager, password; `active: false` deactivates them and ends their sessions' })
  @ApiIdParam('user')
  @ApiZodBody(updateUserRequestSchema)
  @ApiZodResponse(200, managedUserSchema, 'The user as changed')
  @ApiErrorResponse(404, 'No such user')
  @ApiErrorResponse(409, 'The last active admin cannot be demoted or deactivated')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateUserRequestSchema) body: UpdateUserRequest) {
    return this.users.update(principal, id, body);
  }
}
