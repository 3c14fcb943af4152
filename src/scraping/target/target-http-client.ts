import iconv from 'iconv-lite';
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import { ScrapeError, TargetUnavailableError, toScrapeError } from '../scrape-errors.js';
import type { CookieJar } from './cookie-jar.js';

export interface TargetRequest {
  method?: 'GET' | 'POST';
  /** Absolute URL on the target's origin, or a path relative to its base URL. */
  url: string;
  cookies?: CookieJar;
  form?: Record<string, string>;
  accept?: string;
  referer?: string;
}

export interface TargetResponse {
  status: number;
  url: string;
  headers: IncomingHttpHeaders;
  contentType: string;
  /** The body decoded with its declared charset (windows-1252 pages included). */
  text: string;
}

export interface TargetHttpClientOptions {
  baseUrl: string;
  timeoutMs: number;
  connections: number;
  maxBodyBytes: number;
  userAgent: string;
  /** Charset of responses that declare none. */
  defaultCharset?: string;
}

const META_CHARSET = /<meta[^>]+charset=["']?([\w-]+)/i;

/**
 * Plain HTTP to the target over a keep-alive pool: no rendering, no assets. Decodes legacy
 * charsets, stores cookies in the session's jar, turns 5xx, timeouts and resets into retryable
 * `TargetUnavailableError`s. Never follows redirects off the target's origin.
 */
export class TargetHttpClient {
  private readonly pool: Pool;
  readonly origin: string;

  constructor(private readonly options: TargetHttpClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
    this.pool = new Pool(this.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    });
  }

  /** Resolves a target-relative URL; refuses anything that would leave the target's origin. */
  resolve(url: string): URL {
    const resolved = new URL(url, this.options.baseUrl);
    if (resolved.origin !== this.origin) {
      throw new ScrapeError(
        'internal_error',
        `refusing to leave the target origin for ${resolved.origin}`,
        false,
      );
    }
    return resolved;
  }

  /** One request, following same-origin redirects (at most 5). */
  async send(request: TargetRequest): Promise<TargetResponse> {
    let url = this.resolve(request.url);
    let method = request.method ?? 'GET';
    let form = request.form;
    for (let hop = 0; hop < 6; hop += 1) {
      const response = await this.once(url, method, form, request);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && typeof location === 'string') {
        url = this.resolve(new URL(location, url).toString());
        method = 'GET';
        form = undefined;
        continue;
      }
      return response;
    }
    throw new ScrapeError('internal_error', `too many redirects from ${request.url}`, false);
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
  }

  /** Nest calls this on shutdown (the client is provided by a factory). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async once(
    url: URL,
    method: 'GET' | 'POST',
    form: Record<string, string> | undefined,
    request: TargetRequest,
  ): Promise<TargetResponse> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: request.accept ?? 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8',
      'accept-language': 'pt-BR,pt;q=0.9',
    };
    const cookie = request.cookies?.header();
    if (cookie) headers.cookie = cookie;
    if (request.referer) headers.referer = new URL(request.referer, this.origin).toString();
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    try {
      const response = await this.pool.request({
        path: url.pathname + url.search,
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      request.cookies?.store(response.headers['set-cookie']);
      const bytes = await readLimited(response.body, this.options.maxBodyBytes);
      const contentType = String(response.headers['content-type'] ?? '');
      if (response.statusCode >= 500) {
        throw new TargetUnavailableError(
          'http_5xx',
          `the target answered ${response.statusCode} for ${url.pathname}`,
        );
      }
      return {
        status: response.statusCode,
        url: url.toString(),
        headers: response.headers,
        contentType,
        text: decode(bytes, contentType, this.options.defaultCharset),
      };
    } catch (error) {
      throw toScrapeError(error);
    }
  }
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ScrapeError('page_too_large', `the target sent more than ${maxBytes} bytes`, false);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function decode(bytes: Buffer, contentType: string, fallback = 'utf-8'): string {
  const declared =
    /charset=([\w-]+)/i.exec(contentType)?.[1] ??
    META_CHARSET.exec(bytes.subarray(0, 2048).toString('latin1'))?.[1];
  const charset = declared && iconv.encodingExists(declared) ? declared : fallback;
  return charset.toLowerCase() === 'utf-8' || charset.toLowerCase() === 'utf8'
    ? bytes.toString('utf8')
    : iconv.decode(bytes, charset);
}
