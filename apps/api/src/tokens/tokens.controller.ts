import { apiTokenPageSchema, apiTokenSchema, createdTokenSchema, type CreateTokenRequest, createTokenRequestSchema, idParamSchema, type ListTokensQuery, listTokensQuerySchema } from '@cairn/contracts';
import { Controller, Delete, Get, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@Controller('tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Get()
  @Requires('tokens:manage')
  @ApiOperation({
    summary: 'API tokens, newest first: name, visible prefix, scopes, who created them, last use, expiry, revocation (a short list, paged like every other: limit, cursor = nextCursor)',
    description: '`status`: active (usable now), revoked, or expired (not revoked, past its expiry).',
  })
  @ApiZodQuery(listTokensQuerySchema)
  @ApiZodResponse(200, apiTokenPageSchema)
  list(@ZodQuery(listTokensQuerySchema) query: ListTokensQuery) {
    return this.tokens.list(query);
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
