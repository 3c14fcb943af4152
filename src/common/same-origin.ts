import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for state changes authenticated by a cookie (the admin session): a cookie is sent
 * by the browser whoever asks, so the request must show it comes from a page of this service.
 * - `Origin`, when sent, must be this service's own origin (scheme and host, as `TRUST_PROXY`
 *   lets them be read); `Sec-Fetch-Site`, when sent, must be `same-origin`. A sibling subdomain or
 *   another port on the host is same-site but not same-origin, so it is refused too.
 * - And the request must carry something a cross-site form or no-cors fetch cannot send:
 *   `Sec-Fetch-Site: same-origin` (set only by the browser), an `X-Requested-With` header, or a
 *   JSON content type (either needs a CORS preflight this service never grants for cookies).
 * Throws 403 naming what was missing; safe methods pass.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const own = `${request.protocol}://${request.host}`;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== own) {
    throw refused(`Origin ${origin} is not this service (${own})`);
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw refused(`Sec-Fetch-Site is ${String(site)}, not same-origin`);
  }
  const json = /^application\/([\w.+-]+\+)?json\b/i.test(request.headers['content-type'] ?? '');
  if (site !== 'same-origin' && request.headers['x-requested-with'] === undefined && !json) {
    throw refused('it carries neither X-Requested-With nor a JSON body');
  }
}

function refused(reason: string): ForbiddenException {
  return new ForbiddenException(
    `cross-site request refused: a state change with the session cookie must come from this service's own pages (${reason})`,
  );
}
