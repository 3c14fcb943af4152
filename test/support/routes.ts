import type { INestApplication } from '@nestjs/common';

export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route registered on the app's Express router, read from the router itself. */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => ({ method: method.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}

/** A concrete URL for a route path: each `:param` gets a syntactically valid sample. */
export function samplePath(path: string): string {
  return path.replace(/:(\w+)/g, (_match, name: string) =>
    /id$/i.test(name) ? '00000000-0000-4000-8000-000000000000' : 'sample',
  );
}
