import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/scraping/target/circuit-breaker.service.js';
import { chromiumDescendants } from '../support/processes.js';
import { profileVariant } from '../support/profile-variant.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import {
  expectRunInvariants,
  numbers,
  processedCount,
  RUN_SETTINGS,
  submitBatches,
  waitForBatches,
  waitForProcessed,
} from './support/batch-run.js';
import { Workers } from '../support/workers.js';
import { ChromiumTracker } from './support/chromium-tracker.js';
import { Figures } from './support/figures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The target misbehaves under a run of batches: down, overloaded, its browser killed. */
describe('target faults during a run of batches', () => {
  const figures = new Figures('target-faults');
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  const settings = {
    ...RUN_SETTINGS,
    CIRCUIT_COOLDOWN_MS: '500',
    SCRAPER_HTTP_TIMEOUT_MS: '3000',
    SCRAPER_MAX_ATTEMPTS: '4',
  };
  const workers = new Workers(
    () => api,
    () => sim,
    () => settings,
  );
  const tracker = new ChromiumTracker(() => workers.pids());

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 40, jitterMs: 20 });
    api = await startTestApp({ env: { ...targetEnv(sim), ...settings, ROLE: 'api' } });
    user = await api.createUser();
    tracker.start();
  });
  afterAll(async () => {
    tracker.stop();
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
  });

  it('waits while the target is down (circuit open) and completes everything once it is back', async () => {
    await workers.start();
    const ids = await submitBatches(api, user.token, [
      numbers(150_000, 100),
      numbers(151_000, 100),
    ]);
    await waitForProcessed(api, ids, 40, 120_000);
    await sim.pause();
    const downAt = await processedCount(api, ids);
    const breaker = api.app.get(CircuitBreaker, { strict: false });
    const states = new Set<string>();
    for (let waited = 0; waited < 8_000; waited += 250) {
      states.add((await breaker.state()).state);
      await sleep(250);
    }
    const duringOutage = (await processedCount(api, ids)) - downAt;
    await sim.resume();
    const resumedAt = Date.now();
    const atResume = await processedCount(api, ids);
    await waitForProcessed(api, ids, atResume + 1, 180_000);
    const firstAfterMs = Date.now() - resumedAt;
    await waitForBatches(api, ids, 180_000);
    const account = await expectRunInvariants(api, sim, ids);
    // Work waited rather than failed.
    expect(account.failed).toBe(0);
    expect(states).toContain('open');
    expect((await breaker.state()).state).toBe('closed');
    figures.set('target_down', {
      outage_ms: 8_000,
      circuit_cooldown_ms: 500,
      breaker_states_seen: [...states].sort(),
      processed_during_outage: duringOutage,
      first_os_after_target_back_ms: firstAfterMs,
      ...account,
    });
  });

  it('slows down but fails nothing when the target is overloaded', async () => {
    sim.update({ overload: true, overloadStepMs: 60, overloadFreeSlots: 2 });
    await workers.stopAll();
    // More in flight than the target handles well: 3 batches × 5 OS, up to 10 requests at once.
    await workers.start({ QUEUE_BATCH_CONCURRENCY: '3', TARGET_MAX_CONCURRENCY: '10' });
    const run = async (from: number) => {
      const started = Date.now();
      const ids = await submitBatches(
        api,
        user.token,
        [0, 1, 2].map((b) => numbers(from + b * 1000, 40)),
      );
      await waitForBatches(api, ids, 180_000);
      return { ids, seconds: (Date.now() - started) / 1000 };
    };
    const overloaded = await run(160_000);
    const peak = sim.stats().peakInFlight;
    sim.update({ overload: false });
    const normal = await run(170_000);
    const account = await expectRunInvariants(api, sim, [...overloaded.ids, ...normal.ids]);
    expect(account.failed).toBe(0);
    expect(peak).toBeGreaterThan(2);
    figures.set('target_overloaded', {
      overload_step_ms: 60,
      overload_free_slots: 2,
      peak_in_flight: peak,
      os_per_second_overloaded: Math.round((120 / overloaded.seconds) * 10) / 10,
      os_per_second_normal: Math.round((120 / normal.seconds) * 10) / 10,
      ...account,
    });
  });

  it('survives Chromium killed mid-scrape on the browser path, and leaves no Chromium behind', async () => {
    await workers.stopAll();
    const browserProfile = profileVariant('profiles/erp-simulator.json', (profile) => {
      // The fast path can no longer load the items: every OS goes through the browser.
      profile.side_requests[0].url_template = '/os/itens-inexistente.json?id={detail_id}';
    });
    const worker = await workers.start({ TARGET_PROFILE: browserProfile });
    const ids = await submitBatches(api, user.token, [numbers(180_000, 40), numbers(181_000, 40)]);
    const kills: number[] = [];
    for (const mark of [10, 30, 50]) {
      await waitForProcessed(api, ids, mark, 180_000);
      const browsers = chromiumDescendants(worker.pid);
      for (const pid of browsers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      kills.push(browsers.length);
    }
    await waitForBatches(api, ids, 240_000);
    const account = await expectRunInvariants(api, sim, ids);
    expect(account.failed).toBe(0);
    expect(kills.every((killed) => killed > 0)).toBe(true);
    const paths = await api.db.query<{ path: string; n: string }>(
      'SELECT path, count(*) AS n FROM scraping_usage_stats WHERE batch_id = ANY($1) GROUP BY path',
      [ids],
    );
    // A crashed worker's browser and a SIGKILLed worker: no Chromium outlives either.
    expect(await worker.stop('SIGKILL')).toBeNull();
    await expect.poll(() => tracker.alive(), { timeout: 30_000 }).toEqual([]);
    figures.set('chromium_killed', {
      kills: kills.length,
      chromium_processes_killed: kills,
      paths: Object.fromEntries(paths.map((row) => [row.path, Number(row.n)])),
      chromium_seen: tracker.seenCount,
      chromium_left_over: tracker.alive().length,
      ...account,
    });
  });
});
