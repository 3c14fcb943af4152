import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';

/** Swagger UI at `/api/docs`, the OpenAPI document at `/api/docs-json`. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    // The token stays in the page's memory only, never in localStorage.
    swaggerOptions: { persistAuthorization: false },
  });
}
