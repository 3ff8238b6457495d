import { apiTokenSchema, createdTokenSchema, type CreateTokenRequest, createTokenRequestSchema, idParamSchema } from '@cairn/contracts';
import { Controller, Delete, Get, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams } from '../common/validation';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@Controller('tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Get()
  @Requires('tokens:manage')
  @ApiOperation({ summary: 'API tokens: name, visible prefix, scopes, who created them, last use, expiry, revocation' })
  @ApiZodResponse(200, z.array(apiTokenSchema))
  list() {
    return this.tokens.list();
  }

  @Post()
  @Requires('tokens:manage')
  @ApiOperation({ summary: 'Create an API token with scopes (events:write, accounts:read…); the secret `cairn_pat_…` is in this answer only' })
  @ApiZodBody(createTokenRequestSchema)
  @ApiZodResponse(201, createdTokenSchema, 'Created: store `token` now, it is never shown again')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createTokenRequestSchema) body: CreateTokenRequest) {
    return this.tokens.create(principal, body);
  }

  @Delete(':id')
  @Requires('tokens:manage')
  @ApiOperation({ summary: 'Revoke an API token: its next request gets 401' })
  @ApiIdParam('API token')
  @ApiZodResponse(200, apiTokenSchema, 'The token, revoked')
  @ApiErrorResponse(404, 'No such token')
  revoke(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams) {
    return this.tokens.revoke(principal, id);
  }
}
