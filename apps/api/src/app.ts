import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { BODY_LIMIT_BYTES } from './common/limits';
import type { ApiConfig } from './config';

/** The largest JSON body the API reads (413 above it). */
export const JSON_BODY_LIMIT = BODY_LIMIT_BYTES;

/** Builds the HTTP app (used by main.ts and by the integration tests). */
export async function createApp(config: ApiConfig, options: { quiet?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { logger: options.quiet ? ['error', 'warn'] : ['error', 'warn', 'log'] });
  // Room for a batch of 1,000 events (POST /api/events) with their data; Express' default is 100 kB.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // An account import as a CSV body (POST /api/accounts/import); multipart uploads go through multer.
  app.useBodyParser('text', { type: 'text/csv', limit: BODY_LIMIT_BYTES });
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cairn API')
      .setDescription('Playbooks, runs and approvals for customer success. Errors share one body: { statusCode, error, message, issues[] }.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  return app;
}
