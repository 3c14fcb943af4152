import { RequestMethod } from '@nestjs/common';

/**
 * Routes served outside the `/api` prefix: the admin page (and its session), the queue board and
 * Prometheus. Listed one by one because an exclusion also matches controller paths: `admin/{*path}`
 * would move `/api/admin/...` out of the prefix too.
 */
export const OUTSIDE_API_PREFIX: Array<{ path: string; method: RequestMethod }> = [
  'admin',
  'admin/static/{*path}',
  'admin/session',
  'admin/queues',
  'admin/queues/{*path}',
  'metrics',
].map((path) => ({ path, method: RequestMethod.ALL }));
