import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  url: string;
}

/**
 * A loopback reverse proxy in front of the simulator that records every request the scraper
 * makes (method, path and query, as sent) and every session cookie the target hands out — the
 * simulator's own stats count routes, not the URLs nor the cookies.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  readonly cookieValues = new Set<string>();
  private server?: Server;
  port = 0;

  constructor(private readonly targetUrl: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const target = new URL(this.targetUrl);
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? 'GET', url: req.url ?? '' });
      const upstream = httpRequest(
        {
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          for (const cookie of [answer.headers['set-cookie'] ?? []].flat()) {
            const value = /^[^=]+=([^;]*)/.exec(cookie)?.[1];
            if (value && value.length >= 8) this.cookieValues.add(value);
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
