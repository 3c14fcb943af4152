import { osExists } from '../../demo/erp-simulator/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { OsScraperService } from '../../src/scraping/os-scraper.service.js';
import { PathChooser } from '../../src/scraping/paths/path-chooser.service.js';
import {
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Without `paths` in the profile the order is learnt per target (Redis): HTTP first while it
 * reads the OS, browser-first after PATH_BROWSER_FIRST_AFTER OS in a row where it missed, with
 * HTTP tried again every PATH_HTTP_REPROBE_EVERY OS.
 */

const existing = (from: number, count: number) =>
  Array.from({ length: count * 3 }, (_, i) => from + i * 11)
    .filter((n) => osExists(n, 1, 0.03))
    .slice(0, count)
    .map(String);

describe('the path is chosen by what works', () => {
  const sims: RunningSimulator[] = [];
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const sim of sims) await sim.close();
  });

  async function start(layout: 'a' | 'c', env: Record<string, string> = {}) {
    const sim = await startTestSimulator({ layout });
    sims.push(sim);
    const t = await startTestApp({
      env: { ...targetEnv(sim, layout), TARGET_MAX_RPS: '0', ...env },
    });
    apps.push(t);
    return { sim, t };
  }

  it('a script-only target goes browser-first after K misses and re-probes HTTP every N OS', async () => {
    const { sim, t } = await start('c', {
      PATH_BROWSER_FIRST_AFTER: '3',
      PATH_HTTP_REPROBE_EVERY: '5',
    });
    const scraper = t.app.get(OsScraperService);
    const chooser = t.app.get(PathChooser);
    const osNumbers = existing(3000, 10);
    for (const [index, osNumber] of osNumbers.entries()) {
      const result = await scraper.scrape(osNumber, { userId: 'paths' });
      expect(result, osNumber).toMatchObject({ outcome: 'success', path: 'browser' });
      expect(result.data).toEqual(await truthOf(sim, osNumber));
      if (index === 2) expect((await chooser.choice()).mode).toBe('browser_first');
    }
    // 3 misses before switching, then OS 4-8 browser-first, OS 9 re-probes HTTP (and misses).
    const choice = await chooser.choice();
    expect(choice).toMatchObject({
      source: 'learnt',
      mode: 'browser_first',
      order: ['browser', 'robust'],
      http_attempts_wasted: 4,
      browser_reads: 10,
    });
    expect(choice.reason).toContain('3 OS in a row');

    const user = await t.createUser();
    const status = await t
      .http()
      .get('/api/desenvolvimento/scraping-queue-status')
      .set('Authorization', `Bearer ${user.token}`)
      .expect(200);
    expect(status.body.path_choice).toMatchObject({ mode: 'browser_first', source: 'learnt' });
  });

  it('a target HTTP reads stays HTTP-first with no browser read', async () => {
    const { t } = await start('a');
    const scraper = t.app.get(OsScraperService);
    for (const osNumber of existing(4000, 6)) {
      expect(await scraper.scrape(osNumber, { userId: 'paths' })).toMatchObject({
        outcome: 'success',
        path: 'http',
      });
    }
    expect(await t.app.get(PathChooser).choice()).toMatchObject({
      mode: 'http_first',
      http_attempts_wasted: 0,
      browser_reads: 0,
    });
  });
});
