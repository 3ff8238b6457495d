import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { BODY_LIMIT_BYTES } from './common/limits';
import type { CairnRequest } from './auth/principal';
import { assertEveryRouteDeclaresAccess } from './auth/routes';
import type { ApiConfig } from './config';

/** The largest JSON body the API reads (413 above it). */
export const JSON_BODY_LIMIT = BODY_LIMIT_BYTES;

/** A caller's X-Request-Id is kept when it is short and plain; otherwise the API makes one. */
const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** Builds the HTTP app (used by main.ts and by the integration tests). */
export async function createApp(config: ApiConfig, options: { quiet?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), { logger: options.quiet ? ['error', 'warn'] : ['error', 'warn', 'log'] });
  assertEveryRouteDeclaresAccess(app);
  if (config.auth.jwtSecretIsDefault) {
    new Logger('Auth').warn('CAIRN_JWT_SECRET is not set: sessions are signed with the public development secret. Set it to a random string outside local development.');
  }
  // Room for a batch of 1,000 events (POST /api/events) with their data; Express' default is 100 kB.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // An account import as a CSV body (POST /api/accounts/import); multipart uploads go through multer.
  app.useBodyParser('text', { type: 'text/csv', limit: BODY_LIMIT_BYTES });
  // Every answer carries the request's id; the audit log records it next to each change.
  app.use((request: CairnRequest, response: Response, next: NextFunction) => {
    const given = request.headers['x-request-id'];
    request.requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', request.requestId);
    next();
  });
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cairn API')
      .setDescription(
        'Playbooks, runs and approvals for customer success. Every endpoint but health and sign-in needs `Authorization: Bearer <token>`: an access token from POST /api/auth/login, or an API token (`cairn_pat_…`). ' +
          'Each operation names the permission it needs (`x-cairn-permission`). Errors share one body: { statusCode, error, message, issues[], permission? }.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  // At /docs (outside the /api prefix), beside /docs-json and /docs-yaml.
  SwaggerModule.setup('docs', app, document, { swaggerOptions: { persistAuthorization: true } });
  return app;
}
