import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, with the state of Postgres and Temporal' })
  async health() {
    const database = await this.dataSource.query('SELECT 1').then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const temporal = await this.temporal.connection.workflowService.getSystemInfo({}).then(
      () => 'up' as const,
      () => 'down' as const,
    );
    return { status: 'ok', database, temporal };
  }
}
