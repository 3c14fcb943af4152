import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsScraperService } from '../../src/scraping/os-scraper.service.js';
import { SessionPool } from '../../src/scraping/session/session-pool.service.js';
import {
  mapConcurrently,
  startTestSimulator,
  targetEnv,
  truthOf,
  type RunningSimulator,
} from '../support/simulator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SIM_MAX_SESSIONS = 10;

describe('scraping through a flaky target', () => {
  let sim: RunningSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', maxSessions: SIM_MAX_SESSIONS });
    t = await startTestApp({
      env: {
        ...targetEnv(sim),
        TARGET_MAX_RPS: '0',
        TARGET_MAX_SESSIONS: '4',
        SCRAPER_HTTP_TIMEOUT_MS: '1500',
        SCRAPER_RETRY_BASE_MS: '50',
        SCRAPER_MAX_ATTEMPTS: '6',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('ends every OS with the right outcome despite expired sessions, 10% 500s and 5% hanging requests', async () => {
    sim.update({ errorRate: 0.1, hangRate: 0.05, expireRate: 0.05 });
    const numbers = Array.from({ length: 100 }, (_, i) => String(50_000 + i * 13));
    const scraper = t.app.get(OsScraperService);
    const results = await mapConcurrently(numbers, 6, (osNumber) =>
      scraper.scrape(osNumber, { userId: 'faults' }),
    );
    sim.update({ errorRate: 0, hangRate: 0, expireRate: 0 });

    const wrong: string[] = [];
    for (const result of results) {
      const truth = await truthOf(sim, result.osNumber);
      const expected = truth ? 'success' : 'not_found';
      if (result.outcome !== expected)
        wrong.push(
          `${result.osNumber}: ${result.outcome} ${result.errorCode} ${result.errorMessage}`,
        );
      else if (truth && !isDeepStrictEqual(result.data, truth))
        wrong.push(`${result.osNumber}: data differs`);
    }
    expect(wrong).toEqual([]);

    const stats = sim.stats();
    // The faults really happened...
    expect(stats.errorsServed.http500).toBeGreaterThan(5);
    expect(stats.errorsServed.hang).toBeGreaterThan(2);
    expect(stats.errorsServed.expired).toBeGreaterThan(2);
    expect(results.some((result) => result.attempts > 1)).toBe(true);
    // ...and logins stayed bounded: one per session slot, plus one per expiry or per fault that
    // hit a login itself — far from one per OS.
    const { expired, http500, hang } = stats.errorsServed;
    expect(stats.logins.successful).toBeLessThanOrEqual(4 + expired + http500 + hang);
    expect(stats.logins.successful).toBeLessThan(numbers.length / 2);
    // The target never had to log out one of our sessions: we hold at most TARGET_MAX_SESSIONS
    // (4) of its 10. The only sessions beyond them are logins it completed whose answer never
    // reached us (a login slower than SCRAPER_HTTP_TIMEOUT_MS on a loaded machine): without
    // their cookie they cannot be used or logged out, and only they can push it past 10.
    const orphans = stats.logins.successful - t.app.get(SessionPool).stats().logins;
    expect(orphans).toBeGreaterThanOrEqual(0);
    expect(stats.sessionsEvicted).toBeLessThanOrEqual(Math.max(0, 4 + orphans - SIM_MAX_SESSIONS));
  });
});
