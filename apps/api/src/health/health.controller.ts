import { type Health, healthSchema } from '@cairn/contracts';
import { Controller, Get, Inject } from '@nestjs/common';
import { ServiceUnavailableError } from '../common/errors';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators';
import { ApiErrorResponse, ApiZodResponse } from '../common/openapi';


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
  @Public()
  @ApiOperation({ summary: 'Liveness (always 200 while the process serves), with the state of Postgres and Temporal (each probe gives up after 2 s)' })
  @ApiZodResponse(200, healthSchema)
  async health(): Promise<Health> {
    return { status: 'ok', ...(await this.probes()) };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: 200 when Postgres and Temporal both answer, else 503 naming which is down (for load balancers and orchestrators)' })
  @ApiZodResponse(200, healthSchema)
  @ApiErrorResponse(503, 'Postgres or Temporal does not answer')
  async ready(): Promise<Health> {
    const state = await this.probes();
    const down = (Object.entries(state) as Array<[string, 'up' | 'down']>).filter(([, s]) => s === 'down').map(([name]) => name);
    if (down.length) throw new ServiceUnavailableError(`Not ready: ${down.join(' and ')} ${down.length === 1 ? 'does' : 'do'} not answer`);
    return { status: 'ok', ...state };
  }

  private async probes(): Promise<{ database: 'up' | 'down'; temporal: 'up' | 'down' }> {
    const [database, temporal] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.temporal.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => this.temporal.connection.workflowService.getSystemInfo({}))),
    ]);
    return { database, temporal };
  }
}
