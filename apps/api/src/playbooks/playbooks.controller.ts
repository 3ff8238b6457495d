import {
  type CreatePlaybookRequest,
  createPlaybookRequestSchema,
  idParamSchema,
  type PublishRequest,
  playbookSchema,
  playbookSummarySchema,
  playbookVersionSchema,
  publishRequestSchema,
  publishResponseSchema,
  updateDraftRequestSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams } from '../common/validation';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@Controller()
export class PlaybooksController {
  constructor(@Inject(PlaybooksService) private readonly playbooks: PlaybooksService) {}

  @Get('playbooks')
  @ApiOperation({ summary: 'All playbooks with their latest published version' })
  @ApiZodResponse(200, z.array(playbookSummarySchema))
  list() {
    return this.playbooks.list();
  }

  @Get('playbooks/:id')
  @ApiOperation({ summary: 'A playbook: its draft and published versions' })
  @ApiIdParam('playbook')
  @ApiZodResponse(200, playbookSchema)
  @ApiErrorResponse(404, 'No such playbook')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.playbooks.get(id);
  }

  @Get('playbook-versions/:id')
  @ApiOperation({ summary: 'An immutable published version, with its document as published' })
  @ApiIdParam('playbook version')
  @ApiZodResponse(200, playbookVersionSchema)
  @ApiErrorResponse(404, 'No such version')
  version(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.playbooks.version(id);
  }

  @Post('playbooks')
  @ApiOperation({ summary: 'Create a playbook from a document (saved as its draft; key and name come from the document)' })
  @ApiZodBody(createPlaybookRequestSchema)
  @ApiZodResponse(201, playbookSchema, 'Created')
  @ApiErrorResponse(409, 'A playbook with this key exists')
  create(@ZodBody(createPlaybookRequestSchema) { document }: CreatePlaybookRequest) {
    return this.playbooks.create(document);
  }

  @Put('playbooks/:id/draft')
  @ApiOperation({ summary: 'Replace the draft; published versions never change' })
  @ApiIdParam('playbook')
  @ApiZodBody(updateDraftRequestSchema)
  @ApiZodResponse(200, playbookSchema)
  @ApiErrorResponse(404, 'No such playbook')
  @ApiErrorResponse(409, 'The document changes the playbook key')
  updateDraft(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateDraftRequestSchema) { document }: CreatePlaybookRequest) {
    return this.playbooks.updateDraft(id, document);
  }

  @Post('playbooks/:id/publish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Compile the draft into a new immutable version (400 `invalid_playbook` names each offending node and field)' })
  @ApiIdParam('playbook')
  @ApiZodBody(publishRequestSchema)
  @ApiZodResponse(201, publishResponseSchema, 'The new version, or the latest one if the draft is unchanged')
  @ApiErrorResponse(404, 'No such playbook')
  publish(@ZodParams(idParamSchema) { id }: IdParams, @ZodBody(publishRequestSchema) body: PublishRequest) {
    return this.playbooks.publish(id, body);
  }
}
