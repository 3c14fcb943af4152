import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { CsrfTokens } from './csrf-tokens.js';
import { findAsset, type SimulatedAsset } from './heavy-assets.js';
import { MAX_OS_NUMBER, fromInternalId } from './internal-id.js';
import { layoutA } from './layouts/layout-a.js';
import { layoutB } from './layouts/layout-b.js';
import { layoutC } from './layouts/layout-c.js';
import type { AppResponse, AppServices, PageLayout } from './layouts/page-layout.js';
import { generateServiceOrder, osExists, type ServiceOrder } from './os-data-generator.js';
import { SeededRandom, hash32 } from './seeded-random.js';
import { SessionStore } from './session-store.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './simulator-options.js';
import { SimulatorStatsRecorder, type SimulatorStats } from './simulator-stats.js';
import { toTruthRecord } from './truth-record.js';

const LAYOUTS: Record<SimulatorOptions['layout'], PageLayout> = {
  a: layoutA,
  b: layoutB,
  c: layoutC,
};
const MAX_BODY_BYTES = 64 * 1024;
const FAULT_DICE_SALT = 0xd1ce;

/**
 * The simulated ERP over plain `node:http`. Every app page and the JSON endpoint go through the
 * same pipeline — count, maybe hang, delay, maybe fail, check the session, maybe expire it — so
 * the knobs act the same on both layouts. `/__*` control routes skip all of it.
 */
export class SimulatorServer {
  private options: SimulatorOptions;
  private readonly server: Server;
  private readonly recorder = new SimulatorStatsRecorder();
  private readonly sessions: SessionStore;
  private readonly csrf = new CsrfTokens();
  private readonly dice: SeededRandom;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Edits made to generated orders, as a user of the ERP would change an OS. */
  private readonly edits = new Map<number, Partial<ServiceOrder>>();
  private readonly services: AppServices;
  private listening = false;
  private closed = false;
  private boundPort = 0;

  constructor(options: Partial<SimulatorOptions> = {}) {
    this.options = resolveSimulatorOptions(options);
    this.dice = new SeededRandom(hash32(this.options.seed, FAULT_DICE_SALT));
    this.sessions = new SessionStore(() => this.options, {
      onEnded: (reason) => this.recorder.sessionEnded(reason),
    });
    this.services = this.createServices();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.failHard(res, error));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host;
    const shown = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${this.boundPort}`;
  }

  currentOptions(): SimulatorOptions {
    return { ...this.options };
  }

  async listen(): Promise<void> {
    if (this.closed) throw new Error('The simulator was closed');
    if (this.listening) return;
    const port = this.boundPort || this.options.port;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, this.options.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  /** Stops listening and drops every open connection, hanging ones included. */
  async pause(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.pause();
  }

  update(changes: Partial<SimulatorOptions>): void {
    for (const key of ['port', 'host'] as const) {
      if (changes[key] !== undefined && changes[key] !== this.options[key]) {
        throw new Error(`${key} cannot change while the simulator runs`);
      }
    }
    this.options = resolveSimulatorOptions(changes, this.options);
  }

  endSessions(): number {
    return this.sessions.endAll();
  }

  /** Changes fields of one OS from now on (its number and internal id stay). */
  edit(osNumber: number, changes: Partial<ServiceOrder>): void {
    const { osNumber: _number, internalId: _internalId, ...fields } = changes;
    this.edits.set(osNumber, { ...this.edits.get(osNumber), ...fields });
  }

  stats(): SimulatorStats {
    const active = this.sessions.activeCount();
    return this.recorder.snapshot(active);
  }

  resetStats(): void {
    this.recorder.reset(this.sessions.activeCount());
  }

  private layout(): PageLayout {
    return LAYOUTS[this.options.layout];
  }

  private createServices(): AppServices {
    const current = (): SimulatorOptions => this.options;
    return {
      get charset() {
        return current().encoding;
      },
      get hostile() {
        return current().hostile;
      },
      issueCsrfToken: () => this.csrf.issue(),
      login: (user, password, csrfToken) => {
        if (!this.csrf.consume(csrfToken)) {
          this.recorder.login(false);
          return { ok: false, reason: 'csrf' };
        }
        if (user !== this.options.user || password !== this.options.password) {
          this.recorder.login(false);
          return { ok: false, reason: 'credentials' };
        }
        const session = this.sessions.create(user);
        this.recorder.login(true);
        this.recorder.sessionsActive(this.sessions.activeCount());
        return { ok: true, sessionId: session.id };
      },
      logout: (sessionId) => {
        if (sessionId) this.sessions.end(sessionId, 'logout');
      },
      parseOsNumber: (text) => parseOsNumber(text),
      orderByNumber: (osNumber) => this.order(osNumber),
      orderByInternalId: (internalId) => {
        const osNumber = fromInternalId(internalId, this.options.seed);
        return osNumber === null ? null : this.order(osNumber);
      },
    };
  }

  private order(osNumber: number): ServiceOrder | null {
    const { seed, notFoundRate } = this.options;
    if (!osExists(osNumber, seed, notFoundRate)) return null;
    return { ...generateServiceOrder(osNumber, seed), ...this.edits.get(osNumber) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname.startsWith('/__')) return this.handleControl(req, res, url);
    const asset = req.method === 'GET' ? findAsset(url.pathname) : undefined;
    if (asset) return this.serveAsset(res, asset);
    if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(302, { Location: this.layout().loginPath }).end();
      return;
    }
    await this.handleApp(req, res, url);
  }

  private async handleApp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const layout = this.layout();
    const options = this.options;
    const route = layout.routes.find((r) => r.method === req.method && r.path === url.pathname);
    const inFlight = this.recorder.requestStarted(
      route ? `${route.method} ${route.path}` : 'unmatched',
    );
    res.once('close', () => this.recorder.requestEnded());
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();

    if (options.hangRate > 0 && this.dice.next() < options.hangRate) {
      // Never answered: the client times out, or close()/pause() drops the connection.
      this.recorder.fault('hang');
      return;
    }
    const overload = options.overload
      ? Math.max(0, inFlight - options.overloadFreeSlots) * options.overloadStepMs
      : 0;
    const delay = Math.round(options.latencyMs + this.dice.next() * options.jitterMs + overload);
    if (delay > 0) await this.sleep(delay);
    if (res.destroyed) return;

    if (options.errorRate > 0 && this.dice.next() < options.errorRate) {
      this.recorder.fault('http500');
      return this.send(res, layout.serverError(this.services), delay);
    }
    if (!route) {
      return this.send(
        res,
        { kind: 'html', status: 404, body: '<h1>404 - Página não encontrada</h1>' },
        delay,
      );
    }
    const cookies = parseCookies(req.headers.cookie);
    const sessionId = cookies[layout.sessionCookie];
    let user: string | undefined;
    if (route.session) {
      const check = this.sessions.check(sessionId);
      if (check.state === 'missing') return this.send(res, layout.noSession(this.services), delay);
      if (check.state === 'ended') return this.send(res, layout.sessionEnded(this.services), delay);
      if (options.expireRate > 0 && this.dice.next() < options.expireRate) {
        this.sessions.end(check.session.id, 'invalidated');
        this.recorder.fault('expired');
        return this.send(res, layout.sessionEnded(this.services), delay);
      }
      user = check.session.user;
    }
    const response = route.handle(
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form,
        user,
        sessionId,
      },
      this.services,
    );
    this.send(res, response, delay);
  }

  private send(res: ServerResponse, response: AppResponse, delay: number): void {
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string | string[]> = {
      'Cache-Control': 'no-store',
      'X-Sim-Delay-Ms': String(delay),
    };
    if (response.kind !== 'json' && response.setCookies?.length)
      headers['Set-Cookie'] = response.setCookies;
    if (response.kind !== 'redirect' && response.notFound) this.recorder.notFound();
    if (response.kind === 'redirect') {
      res.writeHead(302, { ...headers, Location: response.location }).end();
      return;
    }
    if (response.kind === 'json') {
      const body = Buffer.from(JSON.stringify(response.body), 'utf8');
      res.writeHead(response.status, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
      });
      res.end(body);
      return;
    }
    const charset = this.options.encoding;
    const body =
      charset === 'utf-8'
        ? Buffer.from(response.body, 'utf8')
        : iconv.encode(response.body, charset);
    res.writeHead(response.status, {
      ...headers,
      'Content-Type': `text/html; charset=${charset}`,
      'Content-Length': body.length,
    });
    res.end(body);
  }

  private async serveAsset(res: ServerResponse, asset: SimulatedAsset): Promise<void> {
    this.recorder.assetStarted(asset.type, asset.body.length);
    res.once('close', () => this.recorder.assetEnded());
    if (asset.delayed && this.options.analyticsDelayMs > 0)
      await this.sleep(this.options.analyticsDelayMs);
    if (res.destroyed) return;
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Cache-Control': 'no-store',
    });
    res.end(asset.body);
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const truth = /^\/__truth\/os\/([^/]+)$/.exec(path);
    if (truth && req.method === 'GET') {
      if (!this.options.truth)
        return sendJson(res, 404, { error: 'truth is off (start with --truth)' });
      const osNumber = parseOsNumber(decodeURIComponent(truth[1]));
      const order = osNumber === null ? null : this.order(osNumber);
      return order
        ? sendJson(res, 200, toTruthRecord(order))
        : sendJson(res, 404, { not_found: true });
    }
    if (path === '/__stats' && req.method === 'GET') return sendJson(res, 200, this.stats());
    if (path === '/__stats/reset' && req.method === 'POST') {
      this.resetStats();
      return sendJson(res, 200, this.stats());
    }
    if (path === '/__options' && req.method === 'GET')
      return sendJson(res, 200, this.currentOptions());
    if (path === '/__options' && req.method === 'POST') {
      try {
        this.update(
          JSON.parse((await readBody(req)).toString('utf8')) as Partial<SimulatorOptions>,
        );
        return sendJson(res, 200, this.currentOptions());
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message });
      }
    }
    sendJson(res, 404, { error: 'unknown control route' });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private failHard(res: ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { error: 'simulator bug', message: (error as Error).message });
  }
}

/** Digits only, 1 to 7 significant ones (leading zeros allowed), as the legacy search accepts. */
export function parseOsNumber(text: string | null): number | null {
  const trimmed = (text ?? '').trim();
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_OS_NUMBER ? value : null;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': payload.length,
    'Cache-Control': 'no-store',
  });
  res.end(payload);
}
