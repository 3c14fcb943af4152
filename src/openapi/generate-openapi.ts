import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module.js';
import { API_PREFIX } from '../common/configure-http.js';
import { OUTSIDE_API_PREFIX } from '../common/outside-api-prefix.js';
import { loadConfig } from '../config/load-config.js';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * The OpenAPI document of the `api` role, without PostgreSQL or Redis: Nest's preview mode builds
 * the module graph (controllers and their metadata) but instantiates no provider, so nothing
 * connects. Defaults only: the document must not depend on the machine's `.env`.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ ROLE: 'api' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview: true,
    logger: false,
  });
  try {
    app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed file's text: two-space JSON and a final newline. */
export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
