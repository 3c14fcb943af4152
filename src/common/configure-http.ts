import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import { roleIncludes } from '../config/role.js';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { guardJsonBody } from './json-depth.js';
import { OUTSIDE_API_PREFIX } from './outside-api-prefix.js';
import { setupSwagger } from './swagger.js';
import { trustProxySetting } from './trust-proxy.js';

export const API_PREFIX = 'api';

/** HTTP concerns shared by `main.ts` and the e2e harness, so tests run the real thing. */
export function configureHttp(app: NestExpressApplication, config: AppConfig): INestApplication {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // The client address (throttles, logs) and scheme (Secure cookie, same-origin checks) come
  // from forwarded headers only when the proxy that set them is trusted.
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  // Helmet first: answers of the body parser itself (malformed JSON, 413) carry its headers too.
  app.use(helmet());
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.use(guardJsonBody());
  if (config.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: config.CORS_ORIGINS,
      credentials: true,
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
    });
  }
  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: true,
    }),
  );
  if (config.SWAGGER_ENABLED && roleIncludes(config.ROLE, 'api')) setupSwagger(app);
  return app;
}
