import type { Request } from 'express';

/**
 * The admin page's login cookie: an opaque session id (the session lives in Redis), sent only to
 * `/admin` paths.
 */
export const ADMIN_SESSION_COOKIE = 'ros_admin_session';
export const ADMIN_SESSION_PATH = '/admin';

/** The session id of the admin session cookie, if the request carries one. */
export function readAdminSessionCookie(request: Request): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== ADMIN_SESSION_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return value === '' ? undefined : decodeURIComponent(value);
  }
  return undefined;
}

/**
 * `Set-Cookie` for the admin session. HttpOnly: page scripts never read it; SameSite=Strict: no
 * other site can make the browser send it (the queue board's API changes jobs); Secure over HTTPS.
 */
export function adminSessionCookie(
  sessionId: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  return serialize(encodeURIComponent(sessionId), maxAgeSeconds, secure);
}

/** `Set-Cookie` that removes the admin session. */
export function clearedAdminSessionCookie(secure: boolean): string {
  return serialize('', 0, secure);
}

function serialize(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${ADMIN_SESSION_COOKIE}=${value}`,
    `Path=${ADMIN_SESSION_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
