import { createDataSource } from '@cairn/db';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_CONFIG, type ApiConfig } from '../config';

/** The TypeORM DataSource from @cairn/db (the same entities and migrations the worker uses). */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => createDataSource(config.databaseUrl).initialize(),
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
