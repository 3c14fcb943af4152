import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { operationId } from './operation-ids.js';

/**
 * The OpenAPI document of the app's routes: served at `/api/docs-json` and written to
 * `openapi.json` by `npm run openapi`, from the same code, so the two never differ.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('RegistroOS Scraper')
      .setDescription(
        'Reads service orders (OS) from the legacy ERP: one on demand or batches of up to 100, ' +
          'with live progress, per-user statistics and an admin dashboard. Paths and JSON keys ' +
          'of the original system are kept as they were.',
      )
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    { operationIdFactory: operationId },
  );
}
