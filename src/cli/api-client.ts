import type { ApiErrorBody } from './api-types.js';

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

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A thin `fetch` wrapper for the service's REST API: bearer token, JSON, typed errors. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    readonly token?: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await (await this.send('GET', path, options)).json()) as T;
  }

  async post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return (await (await this.send('POST', path, { ...options, body })).json()) as T;
  }

  /** A successful response whose body the caller streams (SSE, CSV, JSON files). */
  open(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send('GET', path, options);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = this.url(path);
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new NetworkError(url, networkReason(error));
    }
    if (!response.ok) throw await toApiError(response, url);
    return response;
  }
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
