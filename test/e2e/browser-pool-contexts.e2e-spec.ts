import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { autoContextRange } from '../../src/config/auto-contexts.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  BrowserPool,
  type BrowserCookies,
} from '../../src/scraping/browser/browser-pool.service.js';
import { RequestBlocker } from '../../src/scraping/browser/request-blocker.js';
import { loadProfile } from '../../src/scraping/profile/profile-loader.js';
import { TargetDefinition } from '../../src/scraping/target/target-definition.js';

const ORIGIN = 'http://127.0.0.1:9';
const session = (name: string): BrowserCookies => ({
  key: name,
  cookies: [{ name: 'sid', value: name, url: ORIGIN }],
});

/** Which pooled context a session gets, on the real Chromium (no page is loaded). */
describe('BrowserPool: a context per session', () => {
  let pool: BrowserPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  function poolWith(env: Record<string, string>): BrowserPool {
    const target = new TargetDefinition(
      loadProfile('profiles/erp-simulator.json', { base_url: ORIGIN }),
      undefined,
      undefined,
    );
    pool = new BrowserPool(loadConfig(env), new RequestBlocker(target));
    return pool;
  }

  async function use(p: BrowserPool, cookies: BrowserCookies): Promise<string[]> {
    const lease = await p.lease(cookies);
    const held = (await lease.context.cookies(ORIGIN)).map((cookie) => cookie.value);
    lease.release();
    return held;
  }

  it('gives a session whose context was recycled a new one, not another idle session’s', async () => {
    const p = poolWith({ SCRAPER_MAX_CONTEXTS: '5', SCRAPER_CONTEXT_MAX_USES: '2' });
    const [a, b] = [session('a'), session('b')];
    expect(await use(p, a)).toEqual(['a']);
    expect(await use(p, a)).toEqual(['a']); // second use: a's context is recycled
    expect(await use(p, b)).toEqual(['b']);
    // a's context is gone and b's is idle: a gets a new one while the pool may grow...
    expect(await use(p, a)).toEqual(['a']);
    // ...so b still finds its own, cookies untouched.
    expect(await use(p, b)).toEqual(['b']);
    expect(p.stats()).toMatchObject({
      cookie_sets: 3,
      context_recycles: { uses: 2, heap: 0, broken: 0 },
    });
  });

  it('with SCRAPER_MAX_CONTEXTS=auto, is sized for the range ceiling and lets in the range start', async () => {
    const p = poolWith({ SCRAPER_MAX_CONTEXTS: 'auto' });
    const range = autoContextRange();
    expect(p.stats()).toMatchObject({
      max_contexts: range.ceiling,
      scrapes_limit: range.start,
      scrapes_admitted: 0,
    });
    const places = await Promise.all(Array.from({ length: range.start }, () => p.admit()));
    expect(p.stats()).toMatchObject({ scrapes_admitted: range.start, scrapes_waiting: 0 });
    const next = p.admit();
    await expect.poll(() => p.stats().scrapes_waiting).toBe(1);
    places[0]!();
    (await next)();
    for (const leave of places.slice(1)) leave();
    expect(p.stats()).toMatchObject({ scrapes_admitted: 0, scrapes_waiting: 0 });
  });

  it('with SCRAPER_MAX_CONTEXTS=auto, adds a place where it raises the throughput (a slow target)', async () => {
    const p = poolWith({ SCRAPER_MAX_CONTEXTS: 'auto' });
    const range = autoContextRange();
    // Each scrape waits 100 ms on the target, whatever else runs: one more place, 1/n more OS/s.
    let running = true;
    const scraper = async () => {
      while (running) {
        const leave = await p.admit();
        await sleep(100);
        leave();
      }
    };
    const scrapers = Array.from({ length: range.ceiling + 2 }, scraper);
    try {
      await expect
        .poll(() => p.stats().scrapes_limit, { timeout: 60_000, interval: 250 })
        .toBeGreaterThan(range.start);
    } finally {
      running = false;
      await Promise.all(scrapers);
    }
    expect(p.stats()).toMatchObject({ scrapes_admitted: 0, scrapes_waiting: 0 });
  }, 90_000);

  it('recycles a context for the heap it holds, not for garbage a collection frees', async () => {
    const p = poolWith({ SCRAPER_MAX_CONTEXTS: '2', SCRAPER_CONTEXT_MAX_HEAP_MB: '16' });
    const a = session('a');
    const measured = () => expect.poll(() => p.stats().contexts_busy).toBe(0);
    // 24 MB the page no longer references: counted by the first reading, freed by a collection.
    let lease = await p.lease(a);
    await lease.page.evaluate(() => {
      const junk = new Uint8Array(24 << 20).fill(1);
      (window as unknown as { seen: number }).seen = junk[0]!;
    });
    lease.release();
    await measured();
    expect(p.stats()).toMatchObject({ contexts_free: 1, context_recycles: { heap: 0 } });
    expect(p.stats().last_context_heap_mb).toBeLessThan(16);
    // 24 MB the page keeps: over the bound after the collection too.
    lease = await p.lease(a);
    await lease.page.evaluate(() => {
      (window as unknown as { keep: Uint8Array }).keep = new Uint8Array(24 << 20).fill(1);
    });
    lease.release();
    await measured();
    expect(p.stats()).toMatchObject({ contexts_free: 0, context_recycles: { heap: 1 } });
    expect(p.stats().last_context_heap_mb).toBeGreaterThan(16);
  });

  it('takes the least recently used idle context once the pool is full', async () => {
    const p = poolWith({ SCRAPER_MAX_CONTEXTS: '2', SCRAPER_CONTEXT_MAX_USES: '100' });
    const [a, b, c] = [session('a'), session('b'), session('c')];
    await use(p, a);
    await use(p, b);
    await use(p, a);
    // Full (2 contexts): c takes b's, used longest ago, and a keeps its own.
    expect(await use(p, c)).toEqual(['c']);
    expect(await use(p, a)).toEqual(['a']);
    expect(await use(p, c)).toEqual(['c']);
    expect(p.stats()).toMatchObject({ cookie_sets: 3, launches: 1 });
  });
});
