import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../clients/typescript/src/schema.js';
import type { ApiErrorBody } from './api-schema.js';

/** The service answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    /** Seconds, from `Retry-After` or the body's `retry_after`. */
    readonly retryAfterSeconds: number | undefined,
    readonly url: string,
  ) {
    super(body?.message || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The service could not be reached at all. */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
    this.name = 'NetworkError';
  }
}

/**
 * The service's REST API for the CLI: openapi-fetch over the generated contract (`api.GET(...)`,
 * every path, parameter and answer typed from openapi.json), with a bearer token, and errors
 * thrown as `ApiError` (an error status) or `NetworkError` (no answer at all).
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly api: Client<paths>;

  constructor(
    baseUrl: string,
    readonly token?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.api = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { Accept: 'application/json' },
      fetch: (request) => this.send(request),
    });
  }

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async send(request: Request): Promise<Response> {
    if (this.token) request.headers.set('Authorization', `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await fetch(request);
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new NetworkError(request.url, networkReason(error));
    }
    if (!response.ok) throw await toApiError(response, request.url);
    return response;
  }
}

/**
 * The body of a call's answer. Error statuses throw in `send`, so a call that returns has its
 * answer; an empty one here means the server broke the contract.
 */
export function answer<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new ApiError(result.response.status, null, undefined, result.response.url);
  }
  return result.data;
}

async function toApiError(response: Response, url: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: ApiErrorBody | null = null;
  try {
    const parsed = JSON.parse(text) as Partial<ApiErrorBody>;
    if (parsed && typeof parsed === 'object') {
      body = {
        statusCode: parsed.statusCode ?? response.status,
        error: parsed.error ?? response.statusText,
        message: typeof parsed.message === 'string' ? parsed.message : text.slice(0, 300),
        ...(typeof parsed.retry_after === 'number' ? { retry_after: parsed.retry_after } : {}),
      };
    }
  } catch {
    // Not JSON (a proxy's page, say): keep the start of the text as the message.
    if (text)
      body = {
        statusCode: response.status,
        error: response.statusText,
        message: text.slice(0, 300),
      };
  }
  const header = Number(response.headers.get('retry-after'));
  const retryAfter = Number.isFinite(header) && header > 0 ? header : body?.retry_after;
  return new ApiError(response.status, body, retryAfter, url);
}

/** `fetch failed` says nothing; the cause (ECONNREFUSED, ENOTFOUND...) does. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (typeof code === 'string')
    return message && !message.includes(code) ? `${code}, ${message}` : message || code;
  const nested = (cause as { errors?: unknown[] }).errors?.[0];
  if (nested) return networkReason(nested);
  return message || 'network error';
}
