import type { Request } from 'express';

/** The bearer token of a request's `Authorization` header, if any. */
export function extractAccessToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : undefined;
}
