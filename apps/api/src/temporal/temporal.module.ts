import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { API_CONFIG, type ApiConfig } from '../config';

/**
 * A Temporal client for the configured cluster. The connection is lazy, so the API starts (and
 * reports `temporal: down` on /api/health) even while Temporal is unreachable; it is closed when
 * the app shuts down (`enableShutdownHooks`).
 */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => new Client({ connection: Connection.lazy({ address: config.temporalAddress }), namespace: config.temporalNamespace }),
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
