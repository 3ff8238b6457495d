import {
  accountPageSchema,
  accountSchema,
  type CreateAccountRequest,
  createAccountRequestSchema,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ListAccountsQuery,
  listAccountsQuerySchema,
  type ImportAccountsQuery,
  importAccountsQuerySchema,
  importAccountsResponseSchema,
  idParamSchema,
  type UpdateAccountRequest,
  updateAccountRequestSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Patch, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, Requires } from '../auth/access.decorators';
import type { RequestPrincipal } from '../auth/principal';
import type { IdParams } from '../common/dto';
import { UnsupportedMediaTypeError, ValidationError } from '../common/errors';
import { ApiErrorResponse, ApiIdParam, ApiZodBody, ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodParams, ZodQuery } from '../common/validation';
import { AccountImportService } from './account-import.service';
import { AccountsService } from './accounts.service';

/** What multer hands over for the uploaded file (kept in memory: at most 5 MB). */
interface UploadedCsv {
  buffer: Buffer;
  originalname: string;
}

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AccountImportService) private readonly importer: AccountImportService,
  ) {}

  @Get()
  @Requires('accounts:read')
  @ApiOperation({
    summary: 'Accounts with their segment, CSM, people map and profile, by name (pages: limit, cursor = nextCursor)',
    description:
      '`q` searches the name and external ids (case-insensitive); `ownerId` is the CSM; `segmentId` any segment the account is in now; `health=none` is accounts without a rating; ' +
      '`renewalAfter` (on or after) and `renewalBefore` (strictly before) read the `renewal_date` attribute.',
  })
  @ApiZodQuery(listAccountsQuerySchema)
  @ApiZodResponse(200, accountPageSchema)
  list(@ZodQuery(listAccountsQuerySchema) query: ListAccountsQuery) {
    return this.accounts.list(query);
  }

  @Post()
  @Requires('accounts:manage')
  @ApiOperation({
    summary: 'Create an account',
    description: 'Attributes are checked against the field schema (GET /api/account-fields): unknown or ill-typed values are 400 naming `body.attributes.<key>`, and required fields must be given. The segment is named by key.',
  })
  @ApiZodBody(createAccountRequestSchema)
  @ApiZodResponse(201, accountSchema, 'The account as created')
  @ApiErrorResponse(409, 'Another account has this domain or external id (named in the message)')
  create(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(createAccountRequestSchema) body: CreateAccountRequest) {
    return this.accounts.create(principal, body);
  }

  @Post('import')
  @Requires('accounts:manage')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: `Import accounts from a CSV (up to ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows, 5 MB): create, or update by external id`,
    description:
      'Send the file as `text/csv`, or as `multipart/form-data` in the field `file`. The header names the columns: name, domain, external_id:<system> (one or more), csm_email, segment_key, timezone, health, health_score, and attribute keys of the field schema. ' +
      'An empty cell leaves the stored value alone. `mode=upsert` (default) updates the account a row’s external id names and creates the others; `mode=insert` only creates. ' +
      '`dryRun=true` reports and writes nothing; `atomic=true` writes nothing unless every row passes. The answer reports each row (created, updated, unchanged, rejected with the reason per column) and the totals.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({ schema: { type: 'string', format: 'binary', description: 'The CSV (text/csv), or a form with the CSV in `file`' } })
  @ApiZodQuery(importAccountsQuerySchema)
  @ApiZodResponse(200, importAccountsResponseSchema, 'The report, row by row')
  @ApiErrorResponse(400, 'The CSV cannot be read, is empty, or its header names a column that is no field (`issues[].path` is `header.<column>`)')
  @ApiErrorResponse(413, `More than 5 MB, or more than ${IMPORT_MAX_ROWS.toLocaleString('en-US')} rows`)
  @ApiErrorResponse(415, 'Neither text/csv nor multipart/form-data')
  importCsv(@CurrentPrincipal() principal: RequestPrincipal, @Req() request: Request, @UploadedFile() file: UploadedCsv | undefined, @ZodQuery(importAccountsQuerySchema) query: ImportAccountsQuery) {
    if (request.is('multipart/form-data')) {
      if (!file) throw new ValidationError('Attach the CSV to the form as the field "file"', [{ path: 'body.file', code: 'required', message: 'No file in the form field "file"' }]);
      return this.importer.import(principal, file.buffer.toString('utf8'), query);
    }
    if (request.is('text/csv')) return this.importer.import(principal, typeof request.body === 'string' ? request.body : '', query);
    throw new UnsupportedMediaTypeError('Send the CSV as text/csv, or as multipart/form-data with the file in the field "file"');
  }

  @Get(':id')
  @Requires('accounts:read')
  @ApiOperation({ summary: 'One account' })
  @ApiIdParam('account')
  @ApiZodResponse(200, accountSchema)
  @ApiErrorResponse(404, 'No such account')
  get(@ZodParams(idParamSchema) { id }: IdParams) {
    return this.accounts.get(id);
  }

  @Patch(':id')
  @Requires('accounts:write')
  @ApiOperation({
    summary: 'Change the account’s profile: timezone, attributes (null removes one), metrics, health, external ids; running playbooks re-read it',
    description:
      'Merged into what is there. Attributes are checked against the field schema (GET /api/account-fields): an unknown or ill-typed one is 400 naming `body.attributes.<key>`; `*_date` attributes are ISO dates. ' +
      'Metric names are lower snake case; the timezone is an IANA name; an external id set to null is removed, and one another account has is 409.',
  })
  @ApiIdParam('account')
  @ApiZodBody(updateAccountRequestSchema)
  @ApiZodResponse(200, accountSchema, 'The account as changed')
  @ApiErrorResponse(403, 'A CSM changes only accounts they own; a CS manager those of their team')
  @ApiErrorResponse(404, 'No such account')
  @ApiErrorResponse(409, 'Another account has this external id')
  @ApiErrorResponse(503, 'Saved, but Temporal cannot be reached to tell the running playbooks; send the same request again')
  update(@CurrentPrincipal() principal: RequestPrincipal, @ZodParams(idParamSchema) { id }: IdParams, @ZodBody(updateAccountRequestSchema) body: UpdateAccountRequest) {
    return this.accounts.update(principal, id, body);
  }
}
