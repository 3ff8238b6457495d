import { createPlaybookRequestSchema, publishRequestSchema } from '@cairn/contracts';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../common/openapi';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@Controller()
export class PlaybooksController {
  constructor(@Inject(PlaybooksService) private readonly playbooks: PlaybooksService) {}

  @Get('playbooks')
  @ApiOperation({ summary: 'All playbooks with their latest published version' })
  list() {
    return this.playbooks.list();
  }

  @Get('playbooks/:id')
  @ApiOperation({ summary: 'A playbook: its draft and published versions' })
  get(@Param() params: unknown) {
    return this.playbooks.get(params);
  }

  @Get('playbook-versions/:id')
  @ApiOperation({ summary: 'An immutable published version, with its document as published' })
  version(@Param() params: unknown) {
    return this.playbooks.version(params);
  }

  @Post('playbooks')
  @ApiOperation({ summary: 'Create a playbook from a document (saved as its draft)' })
  @ApiZodBody(createPlaybookRequestSchema)
  create(@Body() body: unknown) {
    return this.playbooks.create(body);
  }

  @Put('playbooks/:id/draft')
  @ApiOperation({ summary: 'Replace the draft; published versions never change' })
  @ApiZodBody(createPlaybookRequestSchema)
  updateDraft(@Param() params: unknown, @Body() body: unknown) {
    return this.playbooks.updateDraft(params, body);
  }

  @Post('playbooks/:id/publish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Compile the draft into a new immutable version (400 names each offending node and field)' })
  @ApiZodBody(publishRequestSchema)
  publish(@Param() params: unknown, @Body() body: unknown) {
    return this.playbooks.publish(params, body);
  }
}
