import { auditPageSchema, type ListAuditQuery, listAuditQuerySchema } from '@cairn/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/access.decorators';
import { ApiZodQuery, ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/validation';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @Requires('audit:read')
  @ApiOperation({ summary: 'The audit log, newest first: every change and decision, sign-ins and failed sign-ins (filter by actor, entity, action, time; pages by cursor)' })
  @ApiZodQuery(listAuditQuerySchema)
  @ApiZodResponse(200, auditPageSchema)
  list(@ZodQuery(listAuditQuerySchema) query: ListAuditQuery) {
    return this.audit.list(query);
  }
}
