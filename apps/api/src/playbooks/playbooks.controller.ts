import {
  type ListPlaybookVersionsQuery,
  listPlaybookVersionsQuerySchema,
  playbookVersionSummaryPageSchema,
  type ArchivePlaybookRequest,
  archivePlaybookRequestSchema,
  type CreatePlaybookRequest,
  createPlaybookRequestSchema,
  idParamSchema,
  type ListPlaybooksQuery,
  listPlaybooksQuerySchema,
  type PlaybookDiffQuery,
  playbookDiffQuerySchema,
  playbookDiffSchema,
  type PublishRequest,
  playbookSchema,
  playbookSummaryPageSchema,
  playbookVersionSchema,
  publishRequestSchema,
  publishResponseSchema,
  savedDraftSchema,
  type UpdateDraftRequest,
  updateDraftRequestSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@Controller()
export class PlaybooksController {
  constructor(@Inject(PlaybooksService) private readonly playbooks: PlaybooksService) {}

  @Get('playbooks')
  @Requires('playbooks:read')
  @ApiOperation({
    summary: 'Playbooks by name with their latest published version (pages: limit, cursor = nextCursor)',
    description: 'Archived ones only with `includeArchived=true` or `status=archived`. `status`: draft (never published), published, archived; `q` searches the name and key; `kind` is the playbook kind.',
  })
  @ApiZodQuery(listPlaybooksQuerySchema)
  @ApiZodResponse(200, playbookSummaryPageSchema)
  list(@ZodQuery(listPlaybooksQuerySchema) query: ListPlaybooksQuery) {
    return this.playbooks.list(query);
  }

  @Get('playbooks/:id')
  @Requires('playbooks:read')
  @ApiOperation({ summary: 'A playbook: its draft and published versions' })
  @ApiIdParam('playbook')
  @ApiZodResponse(200, playbookSchema)
  @ApiErrorResponse(404, 'No such playbook')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.playbooks.get(id);
  }

  @Get('playbooks/:id/versions')
  @Requires('playbooks:read')
  @ApiOperation({ summary: 'The playbook’s published versions, newest first, a page at a time (without their documents)' })
  @ApiIdParam('playbook')
  @ApiZodQuery(listPlaybookVersionsQuerySchema)
  @ApiZodResponse(200, playbookVersionSummaryPageSchema)
  @ApiErrorResponse(404, 'No such playbook')
  versions(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(listPlaybookVersionsQuerySchema) query: ListPlaybookVersionsQuery) {
    return this.playbooks.versions(id, query);
  }

  @Get('playbook-versions/:id')
  @Requires('playbooks:read')
  @ApiOperation({ summary: 'An immutable published version, with its document as published' })
  @ApiIdParam('playbook version')
  @ApiZodResponse(200, playbookVersionSchema)
  @ApiErrorResponse(404, 'No such version')
  version(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.playbooks.version(id);
  }

  @Post('playbooks')
  @Requires('playbooks:write')
  @ApiOperation({ summary: 'Create a playbook from a document (saved as its draft; key and name come from the document)' })
  @ApiZodBody(createPlaybookRequestSchema)
  @ApiZodResponse(201, playbookSchema, 'Created')
  @ApiErrorResponse(409, 'A playbook with this key exists')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createPlaybookRequestSchema) { document }: CreatePlaybookRequest) {
    return this.playbooks.create(principal, document);
  }

  @Put('playbooks/:id/draft')
  @Requires('playbooks:write')
  @ApiOperation({ summary: 'Save the draft (the editor autosaves): answers with the compiler’s diagnostics of it; published versions never change' })
  @ApiIdParam('playbook')
  @ApiZodBody(updateDraftRequestSchema)
  @ApiZodResponse(200, savedDraftSchema)
  @ApiErrorResponse(404, 'No such playbook')
  @ApiErrorResponse(409, 'The document changes the playbook key, or the draft was saved by someone else since baseRevision')
  updateDraft(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateDraftRequestSchema) body: UpdateDraftRequest) {
    return this.playbooks.updateDraft(principal, id, body);
  }

  @Get('playbooks/:id/diff')
  @Requires('playbooks:read')
  @ApiOperation({ summary: 'What changed between two versions, or a version and the draft (from: latest version, to: draft by default)' })
  @ApiIdParam('playbook')
  @ApiZodQuery(playbookDiffQuerySchema)
  @ApiZodResponse(200, playbookDiffSchema)
  @ApiErrorResponse(404, 'No such playbook')
  diff(@ZodParams(idParamSchema) { id }: IdParams, @ZodQuery(playbookDiffQuerySchema) query: PlaybookDiffQuery) {
    return this.playbooks.diff(id, query);
  }

  @Post('playbooks/:id/archive')
  @Requires('playbooks:publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive: no new enrollments or triggers, hidden from the list; runs in flight finish' })
  @ApiIdParam('playbook')
  @ApiZodBody(archivePlaybookRequestSchema)
  @ApiZodResponse(200, playbookSchema)
  @ApiErrorResponse(404, 'No such playbook')
  archive(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(archivePlaybookRequestSchema) body: ArchivePlaybookRequest) {
    return this.playbooks.archive(principal, id, body);
  }

  @Post('playbooks/:id/unarchive')
  @Requires('playbooks:publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring an archived playbook back' })
  @ApiIdParam('playbook')
  @ApiZodResponse(200, playbookSchema)
  @ApiErrorResponse(404, 'No such playbook')
  unarchive(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams) {
    return this.playbooks.unarchive(principal, id);
  }

  @Post('playbooks/:id/publish')
  @Requires('playbooks:publish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Compile the draft into a new immutable version, published by the signed-in person (400 `invalid_playbook` names each offending node and field)' })
  @ApiIdParam('playbook')
  @ApiZodBody(publishRequestSchema)
  @ApiZodResponse(201, publishResponseSchema, 'The new version, or the latest one if the draft is unchanged; with what happened to runs of earlier versions')
  @ApiErrorResponse(404, 'No such playbook')
  @ApiErrorResponse(409, 'The playbook is archived')
  publish(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(publishRequestSchema) body: PublishRequest) {
    return this.playbooks.publish(principal, id, body);
  }
}
