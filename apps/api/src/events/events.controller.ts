import { accountEventPageSchema, idParamSchema, ingestEventsRequestDocSchema, ingestEventsRequestSchema, ingestEventsResponseSchema, type ListAccountEventsQuery, listAccountEventsQuerySchema, type ParsedIngestEvents } from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller()
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Post('events')
  @Requires('events:write')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ingest account events: one, or { events: [...] } (up to 1,000); ours or Segment-style track calls',
    description:
      'Each event is stored once per idempotency key (a `track` call’s messageId), signalled to every running run of its account, and starts every published playbook triggered by its type. ' +
      'A `track` call names the account in `groupId` (its id or domain); its event name is lower-snake-cased and prefixed `product.` unless already dotted (`SSO Configured` → `product.sso_configured`); ' +
      'its properties become the data (with `userId`). The answer reports each event as accepted, duplicate or rejected (unknown account), in request order.',
  })
  @ApiZodBody(ingestEventsRequestDocSchema)
  @ApiZodResponse(202, ingestEventsResponseSchema, 'Stored and routed, per event')
  @ApiErrorResponse(404, 'A single event names no known account (in a batch, that row is rejected)')
  @ApiErrorResponse(503, 'Temporal cannot be reached; nothing was stored, retry')
  ingest(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(ingestEventsRequestSchema) body: ParsedIngestEvents) {
    return this.events.ingest(principal, body);
  }

  @Get('accounts/:id/events')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'Events an account received, newest first (by when they happened); `type` is one type or a prefix (`product.*`) (pages: limit, cursor = nextCursor)' })
  @ApiIdParam('account')
  @ApiZodQuery(listAccountEventsQuerySchema)
  @ApiZodResponse(200, accountEventPageSchema)
  @ApiErrorResponse(404, 'No such account')
  list(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listAccountEventsQuerySchema) query: ListAccountEventsQuery) {
    return this.events.listForAccount(id, query);
  }
}
