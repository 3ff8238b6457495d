import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { ApiConfig } from './config';

/** Builds the HTTP app (used by main.ts and by the integration tests). */
export async function createApp(config: ApiConfig, options: { quiet?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forConfig(config), { logger: options.quiet ? ['error', 'warn'] : ['error', 'warn', 'log'] });
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
