import type { ServiceOrder } from '../os-data-generator.js';
import type { HostilePage, PageEncoding, SimulatorLayout } from '../simulator-options.js';

/** A request as a layout sees it, once the server has parsed it and checked the session. */
export interface AppRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  /** The logged-in account, on routes that need a session. */
  user?: string;
  sessionId?: string;
}

export type AppResponse =
  | { kind: 'html'; status: number; body: string; setCookies?: string[]; notFound?: boolean }
  | { kind: 'json'; status: number; body: unknown; notFound?: boolean }
  | { kind: 'redirect'; location: string; setCookies?: string[] };

export type LoginResult =
  { ok: true; sessionId: string } | { ok: false; reason: 'credentials' | 'csrf' };

/** What the server lends a layout: data, login and the page charset. */
export interface AppServices {
  charset: PageEncoding;
  /** How OS pages misbehave (layout c): never, a script stuck in a loop, or a huge page. */
  hostile: HostilePage;
  issueCsrfToken(): string;
  login(user: string, password: string, csrfToken: string | null): LoginResult;
  logout(sessionId: string | undefined): void;
  /** Digits only, 1 to 7 of them, leading zeros allowed; null otherwise. */
  parseOsNumber(text: string | null): number | null;
  /** The order, or null when the number does not exist. */
  orderByNumber(osNumber: number): ServiceOrder | null;
  orderByInternalId(internalId: number): ServiceOrder | null;
}

export interface AppRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Needs a live session; without one the layout's session pages answer instead. */
  session: boolean;
  handle(request: AppRequest, services: AppServices): AppResponse;
}

/**
 * One page structure of the simulated ERP. Layouts own their URLs and markup; the server owns
 * sessions, faults and statistics, so both layouts behave the same under every knob.
 */
export interface PageLayout {
  id: SimulatorLayout;
  sessionCookie: string;
  loginPath: string;
  routes: readonly AppRoute[];
  /** A session-only route requested without a session cookie. */
  noSession(services: AppServices): AppResponse;
  /** A session-only route requested with a session that is over (expired, evicted, forced). */
  sessionEnded(services: AppServices): AppResponse;
  serverError(services: AppServices): AppResponse;
}

export function sessionCookie(name: string, id: string): string {
  return `${name}=${id}; Path=/; HttpOnly; SameSite=Lax`;
}

export function clearedCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function htmlResponse(
  body: string,
  extra: { status?: number; setCookies?: string[]; notFound?: boolean } = {},
): AppResponse {
  return {
    kind: 'html',
    status: extra.status ?? 200,
    body,
    setCookies: extra.setCookies,
    notFound: extra.notFound,
  };
}
