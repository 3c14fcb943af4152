import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from 'playwright';
import { Semaphore } from '../../common/semaphore.js';
import { withTimeout } from '../../common/with-timeout.js';
import { AppConfig } from '../../config/app-config.js';
import { BrowserError, ScrapeError } from '../scrape-errors.js';
import { autoContextRange } from '../../config/auto-contexts.js';
import { chromiumLaunchOptions } from './chromium-launch.js';
import { ContextTuner } from './context-tuner.js';
import { RequestBlocker } from './request-blocker.js';

interface Generation {
  id: number;
  browser: Browser;
  /** Contexts of this browser that exist (idle or leased). */
  contexts: number;
  retired: boolean;
}

interface PooledContext {
  generation: Generation;
  context: BrowserContext;
  page: Page;
  /** The page's DevTools session, for `Runtime.getHeapUsage` at release. */
  cdp: CDPSession;
  uses: number;
  /** Whose cookies the context holds (`BrowserCookies.key`), set once per session. */
  cookieKey?: string;
}

/** A session's cookies for a browser context; `key` changes whenever the cookies do. */
export interface BrowserCookies {
  key: string;
  cookies: Array<{ name: string; value: string; url: string }>;
}

/** A context leased to one scrape; hand it back with `release`. */
export interface ContextLease {
  context: BrowserContext;
  page: Page;
  /** Pass `broken` when the page misbehaved: the context is closed instead of reused. */
  release(broken?: boolean): void;
}

export interface BrowserPoolStats {
  browser_up: boolean;
  contexts_busy: number;
  contexts_free: number;
  max_contexts: number;
  /**
   * Browser scrapes let in at once: `max_contexts`, or with `SCRAPER_MAX_CONTEXTS=auto` what the
   * tuner has set it to; and those let in (`admit`) and waiting for a place, before their session.
   */
  scrapes_limit: number;
  scrapes_admitted: number;
  scrapes_waiting: number;
  pages: number;
  launches: number;
  restarts: number;
  crashes: number;
  /** Times a pooled context was given a session's cookies (once per session and context). */
  cookie_sets: number;
  /** Pooled contexts closed at release, by why: the use count, the heap bound, a broken page. */
  context_recycles: Record<RecycleReason, number>;
  /** The heap of the last pooled context measured at release (MB), for operators sizing the bound. */
  last_context_heap_mb: number | null;
}

export type RecycleReason = 'uses' | 'heap' | 'broken';

/** Longest a heap measurement may hold a slot; a page that cannot answer by then is broken. */
const HEAP_PROBE_TIMEOUT_MS = 5_000;
/** How often `SCRAPER_MAX_CONTEXTS=auto` reads the throughput and may move the limit. */
export const TUNE_INTERVAL_MS = 2_000;
const MB = 1024 * 1024;

/**
 * One Chromium per worker process, launched on first use. Contexts are leased to one scrape at a
 * time (at most `SCRAPER_MAX_CONTEXTS`); each keeps one page with the profile's blocking on and
 * the cookies of the last session that used it, so a session's scrapes find their context
 * ready (cookies set once per login). A context is closed at release after
 * `SCRAPER_CONTEXT_MAX_USES` uses or once its page's heap passes `SCRAPER_CONTEXT_MAX_HEAP_MB`,
 * and a fresh one is made on the next lease (its cookies set again, once); the browser itself
 * is recycled after `SCRAPER_BROWSER_MAX_PAGES` pages or when it crashes — long-lived contexts
 * and browsers grow in memory.
 */
@Injectable()
export class BrowserPool implements OnApplicationShutdown {
  private readonly logger = new Logger(BrowserPool.name);
  private current?: Generation;
  private launching?: Promise<Generation>;
  private readonly generations = new Set<Generation>();
  private readonly idle: PooledContext[] = [];
  private readonly waiters: Array<() => void> = [];
  private busy = 0;
  private pagesThisBrowser = 0;
  private totalPages = 0;
  private launches = 0;
  private crashes = 0;
  private cookieSets = 0;
  private readonly recycles: Record<RecycleReason, number> = { uses: 0, heap: 0, broken: 0 };
  private lastHeapBytes: number | undefined;
  /** Contexts handed back and being measured before they are pooled or closed. */
  private readonly returning = new Set<Promise<void>>();
  private nextGeneration = 1;
  private closed = false;
  private readonly admission: Semaphore;
  private readonly tuner?: ContextTuner;
  private tuning?: NodeJS.Timeout;
  private tuningStarted = false;
  /** A scrape waited for a place since the last tuning step. */
  private waitedForPlace = false;

  constructor(
    private readonly config: AppConfig,
    private readonly blocker: RequestBlocker,
  ) {
    if (config.contextsTuned) {
      const range = autoContextRange();
      this.tuner = new ContextTuner(range.floor, config.SCRAPER_MAX_CONTEXTS, range.start);
    }
    this.admission = new Semaphore(this.tuner?.capacity ?? config.SCRAPER_MAX_CONTEXTS);
  }

  /**
   * A place among the scrapes reading in this browser, to take *before* their target session:
   * then no more sessions are in the browser at once than there are contexts, each session finds
   * its own context (its cookies set once per login), and the session pool, which hands out the
   * lowest free slot, keeps giving the same few sessions. Taken after the session, a scrape
   * would hold a session while it waits for a context, and with fewer contexts than sessions in
   * flight, contexts would pass from session to session, their cookies set on nearly every
   * lease. Give the place back when the scrape is done with the browser.
   */
  async admit(signal?: AbortSignal): Promise<() => void> {
    if (this.tuner) {
      this.startTuning(this.tuner);
      if (this.admission.inUse >= this.admission.limit) this.waitedForPlace = true;
    }
    let release: () => void;
    try {
      release = await this.admission.acquire(signal);
    } catch {
      throw new ScrapeError('cancelled', 'stopped while waiting for a browser context', false);
    }
    return this.tuner ? this.timedPlace(this.tuner, release) : release;
  }

  /** The place's release, telling the tuner how long the scrape held it (once). */
  private timedPlace(tuner: ContextTuner, release: () => void): () => void {
    const ticket = tuner.admitted(performance.now());
    let given = false;
    return () => {
      if (!given) tuner.finished(ticket, performance.now());
      given = true;
      release();
    };
  }

  /**
   * A pooled context with resource blocking on, for the browser path, holding `cookies`. The
   * context that already holds them is preferred: a context is a session's browser, so its
   * cookies are set once per login, not once per scrape. With no cookies (a login), the context
   * holds none; whoever leases it so must leave it without cookies.
   */
  async lease(cookies?: BrowserCookies): Promise<ContextLease> {
    await this.takeSlot();
    try {
      const pooled = await this.idleOrNewContext(cookies?.key);
      if (pooled.cookieKey !== cookies?.key) {
        pooled.cookieKey = undefined;
        await pooled.context.clearCookies();
        if (cookies) {
          await pooled.context.addCookies(cookies.cookies);
          pooled.cookieKey = cookies.key;
          this.cookieSets += 1;
        }
      }
      this.countPage();
      return {
        context: pooled.context,
        page: pooled.page,
        release: (broken) => this.giveBack(pooled, broken ?? false),
      };
    } catch (error) {
      this.freeSlot();
      throw error;
    }
  }

  /**
   * `SCRAPER_MAX_CONTEXTS=auto`: every `TUNE_INTERVAL_MS` while scrapes come, the tuner reads the
   * throughput of the places (`admit` times each scrape) and may move the limit a step; idle
   * contexts over a lowered limit are closed, so their renderers' memory goes back (the next
   * session over it sets its cookies again).
   */
  private startTuning(tuner: ContextTuner): void {
    if (this.tuningStarted || this.closed) return;
    this.tuningStarted = true;
    this.tuning = setInterval(() => {
      const limit = tuner.observe({ waited: this.waitedForPlace }, performance.now());
      this.waitedForPlace = false;
      if (limit === this.admission.limit) return;
      this.logger.debug(`Browser scrapes at once: ${this.admission.limit} → ${limit}`);
      this.admission.resize(limit);
      while (this.idle.length > 0 && this.idle.length + this.busy > limit)
        void this.discard(this.idle.shift()!);
    }, TUNE_INTERVAL_MS);
    this.tuning.unref();
  }

  /** A fresh context with nothing blocked, closed afterwards: the robust path. */
  async withFreshContext<T>(work: (context: BrowserContext) => Promise<T>): Promise<T> {
    await this.takeSlot();
    let generation: Generation | undefined;
    let context: BrowserContext | undefined;
    try {
      generation = await this.browser();
      context = await withTimeout(
        generation.browser.newContext(contextOptions()),
        this.config.SCRAPER_PAGE_TIMEOUT_MS,
        'newContext timed out',
      );
      generation.contexts += 1;
      this.countPage();
      return await work(context);
    } finally {
      if (context && generation) {
        await context.close().catch(() => undefined);
        generation.contexts -= 1;
        this.closeIfRetiredAndEmpty(generation);
      }
      this.freeSlot();
    }
  }

  stats(): BrowserPoolStats {
    return {
      browser_up: Boolean(this.current?.browser.isConnected()),
      contexts_busy: this.busy,
      contexts_free: this.idle.length,
      max_contexts: this.config.SCRAPER_MAX_CONTEXTS,
      scrapes_limit: this.admission.limit,
      scrapes_admitted: this.admission.inUse,
      scrapes_waiting: this.admission.waiting,
      pages: this.totalPages,
      launches: this.launches,
      restarts: Math.max(0, this.launches - 1),
      crashes: this.crashes,
      cookie_sets: this.cookieSets,
      context_recycles: { ...this.recycles },
      last_context_heap_mb:
        this.lastHeapBytes === undefined ? null : Math.round((this.lastHeapBytes / MB) * 10) / 10,
    };
  }

  /** Closes every browser; no Chromium process outlives the pool. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.tuning);
    this.idle.length = 0;
    const browsers = [...this.generations].map((generation) => generation.browser);
    this.generations.clear();
    this.current = undefined;
    await Promise.all(
      browsers.map((browser) =>
        withTimeout(browser.close(), 10_000, 'browser close').catch(() => undefined),
      ),
    );
    for (const wake of this.waiters.splice(0)) wake();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /**
   * The idle context holding `cookieKey`, else one holding no cookies, else a new one while the
   * pool may still grow, else the least recently used idle one (whose session then sets its
   * cookies again). Taking another
   * session's context while a new one could be made would only move the cookie-setting on:
   * that session would take yet another's on its next lease.
   */
  private async idleOrNewContext(cookieKey: string | undefined): Promise<PooledContext> {
    // A context being measured (a few ms) may be this session's: wait to see it come back.
    if (this.returning.size > 0) await Promise.all(this.returning);
    for (const stale of this.idle.filter((pooled) => !this.isLive(pooled))) {
      this.idle.splice(this.idle.indexOf(stale), 1);
      void this.discard(stale);
    }
    const same = this.idle.findIndex((pooled) => pooled.cookieKey === cookieKey);
    if (same >= 0) return this.idle.splice(same, 1)[0]!;
    // One a login left without cookies is nobody's: cheaper than a new context.
    const unused = this.idle.findIndex((pooled) => pooled.cookieKey === undefined);
    if (unused >= 0) return this.idle.splice(unused, 1)[0]!;
    // `busy` counts this lease's slot and contexts being measured; idle ones are the rest.
    const mayGrow = this.busy - 1 + this.idle.length < this.config.SCRAPER_MAX_CONTEXTS;
    if (!mayGrow && this.idle.length > 0) return this.idle.shift()!;
    const generation = await this.browser();
    const context = await withTimeout(
      generation.browser.newContext(contextOptions()),
      this.config.SCRAPER_PAGE_TIMEOUT_MS,
      'newContext timed out',
    );
    generation.contexts += 1;
    try {
      const page = await context.newPage();
      await this.blocker.attach(context, page);
      page.setDefaultTimeout(this.config.SCRAPER_PAGE_TIMEOUT_MS);
      page.setDefaultNavigationTimeout(this.config.SCRAPER_PAGE_TIMEOUT_MS);
      const cdp = await context.newCDPSession(page);
      return { generation, context, page, cdp, uses: 0 };
    } catch (error) {
      await context.close().catch(() => undefined);
      generation.contexts -= 1;
      throw new BrowserError(`could not prepare a browser context: ${(error as Error).message}`);
    }
  }

  private isLive(pooled: PooledContext): boolean {
    return (
      pooled.generation === this.current &&
      pooled.generation.browser.isConnected() &&
      !pooled.page.isClosed()
    );
  }

  private giveBack(pooled: PooledContext, broken: boolean): void {
    pooled.uses += 1;
    const usable =
      !broken &&
      !this.closed &&
      pooled.generation === this.current &&
      pooled.generation.browser.isConnected();
    if (!usable || pooled.uses >= this.config.SCRAPER_CONTEXT_MAX_USES) {
      if (broken) this.recycles.broken += 1;
      else if (usable) this.recycles.uses += 1;
      this.freeSlot();
      void this.discard(pooled);
    } else if (this.config.SCRAPER_CONTEXT_MAX_HEAP_MB > 0) {
      const returned = this.keepIfHeapWithinBound(pooled);
      this.returning.add(returned);
      void returned.finally(() => this.returning.delete(returned));
    } else {
      this.freeSlot();
      this.idle.push(pooled);
    }
  }

  /**
   * Measures the context's heap (one `Runtime.getHeapUsage`, about 1–3 ms) while it still holds
   * its slot, then pools it or closes it. Every pooled context is a browser context of its own,
   * and Chromium never shares a renderer between browser contexts, so the isolate's heap is this
   * context's: the JS heap, Blink's garbage-collected heap (the DOM) and array-buffer storage.
   * A reading over the bound may be garbage not yet collected: the heap is collected once and
   * measured again, so only memory the context still holds recycles it (a collection costs
   * less than a new renderer).
   */
  private async keepIfHeapWithinBound(pooled: PooledContext): Promise<void> {
    const bound = this.config.SCRAPER_CONTEXT_MAX_HEAP_MB * MB;
    let heapBytes: number | undefined;
    try {
      heapBytes = await this.heapOf(pooled);
      if (heapBytes > bound) {
        await withTimeout(
          pooled.cdp.send('HeapProfiler.collectGarbage'),
          HEAP_PROBE_TIMEOUT_MS,
          'garbage collection timed out',
        );
        heapBytes = await this.heapOf(pooled);
      }
      this.lastHeapBytes = heapBytes;
    } catch {
      // The page or its browser went away meanwhile: the context is not worth keeping.
      heapBytes = undefined;
    }
    const overBound = heapBytes !== undefined && heapBytes > bound;
    const keep =
      heapBytes !== undefined &&
      !overBound &&
      !this.closed &&
      pooled.generation === this.current &&
      pooled.generation.browser.isConnected();
    if (keep) {
      this.idle.push(pooled);
    } else {
      if (overBound) this.recycles.heap += 1;
      else if (heapBytes === undefined) this.recycles.broken += 1;
      void this.discard(pooled);
    }
    this.freeSlot();
  }

  private async heapOf(pooled: PooledContext): Promise<number> {
    const usage = await withTimeout(
      pooled.cdp.send('Runtime.getHeapUsage'),
      HEAP_PROBE_TIMEOUT_MS,
      'heap usage timed out',
    );
    return usage.usedSize + usage.embedderHeapUsedSize + usage.backingStorageSize;
  }

  private async discard(pooled: PooledContext): Promise<void> {
    await pooled.context.close().catch(() => undefined);
    pooled.generation.contexts -= 1;
    this.closeIfRetiredAndEmpty(pooled.generation);
  }

  /** The current browser, launching (or relaunching) it when needed. */
  private async browser(): Promise<Generation> {
    if (this.closed) throw new BrowserError('the browser pool is closed');
    if (this.current && this.current.browser.isConnected() && !this.current.retired)
      return this.current;
    this.launching ??= this.launch().finally(() => {
      this.launching = undefined;
    });
    return this.launching;
  }

  private async launch(): Promise<Generation> {
    const started = performance.now();
    let browser: Browser;
    try {
      browser = await chromium.launch(
        chromiumLaunchOptions(this.config.CHROMIUM_PATH, this.config.SCRAPER_LAUNCH_TIMEOUT_MS),
      );
    } catch (error) {
      throw new BrowserError(
        `could not launch Chromium at ${this.config.CHROMIUM_PATH}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    const generation: Generation = {
      id: this.nextGeneration++,
      browser,
      contexts: 0,
      retired: false,
    };
    browser.on('disconnected', () => this.onDisconnected(generation));
    if (this.closed) {
      await browser.close().catch(() => undefined);
      throw new BrowserError('the browser pool is closed');
    }
    this.generations.add(generation);
    this.current = generation;
    this.pagesThisBrowser = 0;
    this.launches += 1;
    this.logger.log(
      `Chromium #${generation.id} launched in ${Math.round(performance.now() - started)} ms`,
    );
    return generation;
  }

  private onDisconnected(generation: Generation): void {
    this.generations.delete(generation);
    if (generation.retired || this.closed) return;
    this.crashes += 1;
    this.logger.warn(`Chromium #${generation.id} disconnected: the next scrape launches a new one`);
    if (this.current === generation) this.current = undefined;
  }

  /** Counts a page; past the limit the browser is retired once its contexts come back. */
  private countPage(): void {
    this.totalPages += 1;
    this.pagesThisBrowser += 1;
    const generation = this.current;
    if (
      generation &&
      this.pagesThisBrowser >= this.config.SCRAPER_BROWSER_MAX_PAGES &&
      !generation.retired
    ) {
      generation.retired = true;
      this.current = undefined;
      this.logger.log(`Recycling Chromium #${generation.id} after ${this.pagesThisBrowser} pages`);
      for (const pooled of this.idle.splice(0)) void this.discard(pooled);
      this.closeIfRetiredAndEmpty(generation);
    }
  }

  private closeIfRetiredAndEmpty(generation: Generation): void {
    if (!generation.retired || generation.contexts > 0) return;
    this.generations.delete(generation);
    void withTimeout(generation.browser.close(), 10_000, 'browser close').catch(() => undefined);
  }

  private async takeSlot(): Promise<void> {
    while (this.busy >= this.config.SCRAPER_MAX_CONTEXTS) {
      if (this.closed) throw new BrowserError('the browser pool is closed');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.busy += 1;
  }

  private freeSlot(): void {
    this.busy -= 1;
    this.waiters.shift()?.();
  }
}

function contextOptions() {
  return {
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
    serviceWorkers: 'block' as const,
    viewport: { width: 1280, height: 900 },
  };
}
