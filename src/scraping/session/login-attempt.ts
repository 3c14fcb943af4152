import type { CookieJar } from '../target/cookie-jar.js';

/**
 * What one submit of the credentials came to:
 * - `ok`: logged in (the cookies are the session);
 * - `refused`: the target showed `login.failure`;
 * - `rejected`: back on the login form, with no failure message;
 * - `unknown`: neither success nor failure showed in time;
 * - `no_form`: the form was not there, so nothing was sent.
 */
export type LoginAttempt =
  | { kind: 'ok'; cookies: CookieJar }
  | { kind: 'refused' | 'rejected' | 'unknown' | 'no_form'; detail: string };
