import { osExists } from '../../demo/erp-simulator/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/scraping/browser/browser-pool.service.js';
import { RequestBlocker } from '../../src/scraping/browser/request-blocker.js';
import { OsScraperService } from '../../src/scraping/os-scraper.service.js';
import { chromiumDescendants } from '../support/processes.js';
import { profileVariant, type ProfileJson } from '../support/profile-variant.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** OS numbers that exist in the simulator (default seed and not-found rate). */
const EXISTING = Array.from({ length: 40 }, (_, i) => 1000 + i * 101)
  .filter((n) => osExists(n, 1, 0.03))
  .slice(0, 5)
  .map(String);
const SHIPPED = 'profiles/erp-simulator.json';

/** The page's script still loads the items, but the profile points the HTTP path elsewhere. */
const brokenSideRequest = (profile: ProfileJson) => {
  profile.side_requests[0].url_template = '/os/itens-inexistente.json?id={detail_id}';
};

async function scrapeAll(t: TestApp, sim: RunningSimulator) {
  const scraper = t.app.get(OsScraperService);
  const results = [];
  for (const osNumber of EXISTING) {
    const result = await scraper.scrape(osNumber, { userId: 'paths-test' });
    results.push({ ...result, truth: await truthOf(sim, osNumber) });
  }
  return results;
}

describe('which path reads an OS', () => {
  let sim: RunningSimulator;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', analyticsDelayMs: 200 });
    expect(EXISTING).toHaveLength(5);
    for (const n of EXISTING) expect(await truthOf(sim, n)).not.toBeNull();
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await sim?.close();
  });

  async function appWith(profilePath: string, env: Record<string, string> = {}): Promise<TestApp> {
    const t = await startTestApp({
      env: { ...targetEnv(sim), TARGET_PROFILE: profilePath, TARGET_MAX_RPS: '0', ...env },
    });
    apps.push(t);
    sim.resetStats();
    return t;
  }

  it('takes the fast path when the HTML and side request hold every field, with no asset download', async () => {
    const t = await appWith(SHIPPED);
    const results = await scrapeAll(t, sim);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'success', path: 'http', attempts: 1 });
      expect(result.data).toEqual(result.truth);
    }
    const stats = sim.stats();
    expect(stats.requestsByRoute['GET /os/itens.json']).toBe(EXISTING.length);
    expect(stats.assetDownloads).toEqual({
      image: 0,
      font: 0,
      stylesheet: 0,
      'script-analytics': 0,
    });
    expect(t.app.get(BrowserPool).stats().launches).toBe(0);
  });

  it('falls back to the browser path when the side request fails, downloading no image, font or analytics', async () => {
    const t = await appWith(profileVariant(SHIPPED, brokenSideRequest));
    const results = await scrapeAll(t, sim);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'success', path: 'browser' });
      expect(result.data).toEqual(result.truth);
    }
    const stats = sim.stats();
    expect(stats.requestsByRoute['GET /os/itens.json']).toBe(EXISTING.length);
    expect(stats.assetDownloads).toEqual({
      image: 0,
      font: 0,
      stylesheet: 0,
      'script-analytics': 0,
    });
    expect(t.app.get(BrowserPool).stats().pages).toBe(EXISTING.length);
    // The page asked for them, and Chromium failed them (CDP Fetch patterns), not Node.
    expect(t.app.get(RequestBlocker).stats().blocked).toBeGreaterThanOrEqual(EXISTING.length);
    // One context per session: its cookies set once per login, not once per scrape.
    expect(t.app.get(BrowserPool).stats().cookie_sets).toBeLessThan(EXISTING.length);
    // A page of the simulator stays far below the default heap bound: nothing recycled for it.
    expect(t.app.get(BrowserPool).stats().context_recycles.heap).toBe(0);
    expect(t.app.get(BrowserPool).stats().last_context_heap_mb).toBeGreaterThan(0);
  });

  it('recycles a context whose heap is over SCRAPER_CONTEXT_MAX_HEAP_MB at release, and the next scrape gets a fresh one', async () => {
    // 1 MB is below any page's heap: every release closes its context.
    const t = await appWith(profileVariant(SHIPPED, brokenSideRequest), {
      SCRAPER_CONTEXT_MAX_HEAP_MB: '1',
    });
    const results = await scrapeAll(t, sim);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'success', path: 'browser' });
      expect(result.data).toEqual(result.truth);
    }
    // The last context is measured after its scrape returned: wait until it is handed back.
    const pool = t.app.get(BrowserPool);
    await expect.poll(() => pool.stats().contexts_busy, { interval: 5 }).toBe(0);
    const stats = pool.stats();
    expect(stats.last_context_heap_mb).toBeGreaterThan(1);
    expect(stats.context_recycles).toEqual({ uses: 0, heap: EXISTING.length, broken: 0 });
    // Each scrape found no context holding its session, so each set the cookies again.
    expect(stats.cookie_sets).toBe(EXISTING.length);
    expect(stats).toMatchObject({ contexts_free: 0, contexts_busy: 0, launches: 1 });
  });

  it('with fewer contexts than sessions, runs as many sessions in the browser as it has contexts, so each keeps its context', async () => {
    const t = await appWith(
      profileVariant(SHIPPED, (profile: ProfileJson) => {
        profile.paths = ['browser'];
      }),
      { SCRAPER_MAX_CONTEXTS: '2', TARGET_MAX_SESSIONS: '5', TARGET_MAX_CONCURRENCY: '5' },
    );
    const scraper = t.app.get(OsScraperService);
    // Ten scrapes, all started at once: five sessions would be free for them.
    const numbers = [...EXISTING, ...EXISTING];
    const results = await Promise.all(
      numbers.map((osNumber) => scraper.scrape(osNumber, { userId: 'contexts-test' })),
    );
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ outcome: 'success', path: 'browser' });
      expect(result.data).toEqual(await truthOf(sim, numbers[i]!));
    }
    // Two in the browser at a time, on the two sessions the slots hand out first: two logins,
    // and each context got its session's cookies once (taken after the session, ten scrapes
    // would log five sessions in and pass two contexts between them).
    expect(sim.stats().logins.successful).toBe(2);
    expect(t.app.get(BrowserPool).stats()).toMatchObject({
      cookie_sets: 2,
      contexts_busy: 0,
      contexts_free: 2,
      scrapes_admitted: 0,
      scrapes_waiting: 0,
    });
  });

  it('falls back to the robust path when blocking breaks the page', async () => {
    const t = await appWith(
      profileVariant(SHIPPED, (profile: ProfileJson) => {
        brokenSideRequest(profile);
        // Over-eager blocking: the page can no longer load its items by script.
        profile.block.resource_types.push('xhr', 'fetch');
        profile.wait_for.timeout_ms = 1500;
      }),
      { SCRAPER_PAGE_TIMEOUT_MS: '3000' },
    );
    const results = await scrapeAll(t, sim);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'success', path: 'robust' });
      expect(result.data).toEqual(result.truth);
    }
    // Nothing is blocked on the robust path: the page loads like in a person's browser.
    expect(sim.stats().assetDownloads.image).toBeGreaterThanOrEqual(EXISTING.length);
  });

  it('replaces a killed Chromium and retries the scrape; leaves no Chromium after shutdown', async () => {
    const t = await appWith(profileVariant(SHIPPED, brokenSideRequest));
    const scraper = t.app.get(OsScraperService);
    const pool = t.app.get(BrowserPool);
    expect((await scraper.scrape(EXISTING[0]!, { userId: 'x' })).outcome).toBe('success');
    const firstBrowser = chromiumDescendants();
    expect(firstBrowser.length).toBeGreaterThan(0);

    sim.update({ latencyMs: 300 });
    const scrape = scraper.scrape(EXISTING[1]!, { userId: 'x' });
    await expect.poll(() => pool.stats().contexts_busy, { interval: 5, timeout: 30_000 }).toBe(1);
    for (const pid of chromiumDescendants()) process.kill(pid, 'SIGKILL');
    const result = await scrape;
    sim.update({ latencyMs: 0 });
    expect(result).toMatchObject({ outcome: 'success', path: 'browser' });
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.data).toEqual(await truthOf(sim, EXISTING[1]!));
    expect(pool.stats()).toMatchObject({ crashes: 1, launches: 2 });

    await t.stop();
    expect(chromiumDescendants()).toEqual([]);
  });
});
