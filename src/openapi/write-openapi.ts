import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { generateOpenApiDocument, openApiText } from './generate-openapi.js';

/** `npm run openapi [-- <file>]`: writes the API contract (default `openapi.json`). */
const file = process.argv[2] ?? 'openapi.json';
writeFileSync(file, openApiText(await generateOpenApiDocument()));
process.stdout.write(`OpenAPI document written to ${file}\n`);
