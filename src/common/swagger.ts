import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at `/api/docs`, the OpenAPI document at `/api/docs-json`. */
export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
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
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    // The token stays in the page's memory only, never in localStorage.
    swaggerOptions: { persistAuthorization: false },
  });
}
