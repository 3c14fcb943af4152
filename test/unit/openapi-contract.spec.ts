import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApiDocument, openApiText } from '../../src/openapi/generate-openapi.js';
import { OPERATION_IDS } from '../../src/openapi/operation-ids.js';

const COMMITTED = new URL('../../openapi.json', import.meta.url);
const CLIENT_TYPES = new URL('../../clients/typescript/src/schema.d.ts', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

function operations(document: OpenAPIObject): Array<{ route: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation: item[method] as Operation,
    })),
  );
}

describe('the published API contract (openapi.json)', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await generateOpenApiDocument();
  });

  it('is what the code produces (run `npm run openapi` after changing the API)', () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe(openApiText(document));
  });

  it('has the generated client types of the committed document (`npm run openapi` writes both)', async () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as Parameters<
      typeof openapiTS
    >[0];
    const generated = COMMENT_HEADER + astToString(await openapiTS(committed));
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(generated);
  });

  it('names the type of every property (else tsc, which writes openapi.json, and SWC disagree)', () => {
    // A property whose type the compiler cannot name is emitted as `Object` by tsc only.
    expect(Object.keys(document.components?.schemas ?? {})).not.toContain('Object');
  });

  it('names every operation from the table of operation ids, each once', () => {
    const ids = operations(document).map(({ route, operation }) => ({
      route,
      id: operation.operationId,
    }));
    const published = new Set(Object.values(OPERATION_IDS));
    expect(ids.filter(({ id }) => !id || !published.has(id))).toEqual([]);
    expect(new Set(ids.map(({ id }) => id)).size).toBe(ids.length);
  });

  it('gives every answer a schema, for every media type it can take', () => {
    const missing = operations(document).flatMap(({ route, operation }) =>
      Object.entries(operation.responses).flatMap(([status, response]) => {
        const content = Object.entries(response.content ?? {});
        // 204 No Content is the one answer that has no body to describe.
        if (content.length === 0) return status === '204' ? [] : [`${route} ${status}`];
        return content
          .filter(([, media]) => media.schema === undefined)
          .map(([type]) => `${route} ${status} ${type}`);
      }),
    );
    expect(missing).toEqual([]);
  });

  it('describes the results as JSON and CSV, and the event stream', () => {
    const paths = document.paths;
    const results = paths['/api/desenvolvimento/scraping-batch/{task_id}/results'].get as Operation;
    expect(Object.keys(results.responses['200'].content ?? {}).sort()).toEqual([
      'application/json',
      'text/csv',
    ]);
    const events = paths['/api/desenvolvimento/scraping-batch/{task_id}/events'].get as Operation;
    expect(Object.keys(events.responses['200'].content ?? {})).toEqual(['text/event-stream']);
  });
});
