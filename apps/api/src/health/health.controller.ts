import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApiZodResponse } from '../common/openapi';

const healthSchema = z.object({ status: z.literal('ok'), database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) });
type Health = z.infer<typeof healthSchema>;

/** How long a probe may take before its dependency counts as down. */
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), PROBE_TIMEOUT_MS)));
  try {
    return await Promise.race([check().then(() => 'up' as const, () => 'down' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, with the state of Postgres and Temporal (each probe gives up after 2 s)' })
  @ApiZodResponse(200, healthSchema)
  async health(): Promise<Health> {
    const [database, temporal] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.temporal.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => this.temporal.connection.workflowService.getSystemInfo({}))),
    ]);
    return { status: 'ok', database, temporal };
  }
}
