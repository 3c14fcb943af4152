import { readFileSync } from 'node:fs';

const DOCKERFILE = new URL('../../docker/Dockerfile', import.meta.url);

/**
 * The Node options the service's image runs with (docker/Dockerfile's `NODE_OPTIONS`), so a
 * benchmark's worker process runs as deployed. Crawlee's and the bare runners keep Node's defaults.
 */
export function serviceNodeOptions(): string {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  return /\bNODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? '';
}
