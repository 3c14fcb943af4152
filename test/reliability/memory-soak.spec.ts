import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeMemory } from '../../bench/lib/proc-stats.js';
import { profileVariant } from '../support/profile-variant.js';
import type { ServiceProcess } from '../support/service-process.js';
import { startTestSimulator, targetEnv, type RunningSimulator } from '../support/simulator.js';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import {
  expectRunInvariants,
  numbers,
  processedCount,
  RUN_SETTINGS,
  submitBatches,
  waitForBatches,
} from './support/batch-run.js';
import { Workers } from '../support/workers.js';
import { ChromiumTracker } from './support/chromium-tracker.js';
import { Figures, SOAK } from './support/figures.js';

/**
 * Memory of a worker (Node plus its Chromium) over a long run through the browser path: it must
 * stay flat after warm-up, which is what recycling contexts (`SCRAPER_CONTEXT_MAX_USES`) and the
 * browser (`SCRAPER_BROWSER_MAX_PAGES`) is for. 10,000 OS with `RELIABILITY_SOAK=1` (about 40
 * minutes on 2 cores); a bounded 300 in CI, with the browser recycled as often relative to it.
 */
const TOTAL = Number(process.env.RELIABILITY_SOAK_OS ?? (SOAK ? 10_000 : 300));
const BATCH = 100;
/** Where "after warm-up" starts, and the marks at which memory is recorded. */
const WARM = SOAK ? 2_000 : 100;
const STEP = SOAK ? 1_000 : 100;

interface MemorySample {
  processed: number;
  rss_mb: number;
  pss_mb: number;
  node_rss_mb: number;
  processes: number;
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

describe(`worker memory over ${TOTAL} OS through the browser path`, () => {
  const figures = new Figures(SOAK ? 'memory-soak' : 'memory-soak-ci');
  let sim: RunningSimulator;
  let api: TestApp;
  let user: TestUser;
  const settings = {
    ...RUN_SETTINGS,
    SCRAPER_CONTEXT_MAX_USES: '20',
    SCRAPER_BROWSER_MAX_PAGES: SOAK ? '500' : '100',
  };
  const workers = new Workers(
    () => api,
    () => sim,
    () => settings,
  );
  const tracker = new ChromiumTracker(() => workers.pids());

  beforeAll(async () => {
    sim = await startTestSimulator({ layout: 'a', latencyMs: 10 });
    api = await startTestApp({ env: { ...targetEnv(sim), ...settings, ROLE: 'api' } });
    user = await api.createUser();
    tracker.start(1_000);
  });
  afterAll(async () => {
    tracker.stop();
    await workers.stopAll(true);
    await api?.close();
    await sim?.close();
  });

  it(
    'keeps the worker’s RSS (Node + Chromium) flat after warm-up',
    async () => {
      const browserProfile = profileVariant('profiles/erp-simulator.json', (profile) => {
        profile.side_requests[0].url_template = '/os/itens-inexistente.json?id={detail_id}';
      });
      const worker: ServiceProcess = await workers.start({ TARGET_PROFILE: browserProfile });
      const batches = Array.from({ length: Math.ceil(TOTAL / BATCH) }, (_, b) =>
        numbers(1_000_000 + b * BATCH, Math.min(BATCH, TOTAL - b * BATCH)),
      );
      // Batches are submitted a few at a time, as a client working through a list would.
      const ids: string[] = [];
      const samples: MemorySample[] = [];
      const started = Date.now();
      let next = 0;
      for (;;) {
        const processed = ids.length > 0 ? await processedCount(api, ids) : 0;
        if (next < batches.length && ids.length * BATCH - processed < 4 * BATCH) {
          ids.push(...(await submitBatches(api, user.token, batches.slice(next, next + 2))));
          next += 2;
        }
        const memory = treeMemory(worker.pid);
        samples.push({
          processed,
          rss_mb: mb(memory.rssBytes),
          pss_mb: mb(memory.pssBytes),
          node_rss_mb: mb(treeMemory(worker.pid, /^$/).rssBytes),
          processes: memory.processes,
        });
        if (processed >= TOTAL) break;
        if (Date.now() - started > (SOAK ? 4 * 3600_000 : 500_000))
          throw new Error(`only ${processed} of ${TOTAL} OS after ${Date.now() - started} ms`);
        await new Promise((resolve) => setTimeout(resolve, SOAK ? 3_000 : 1_000));
      }
      await waitForBatches(api, ids, 60_000);
      const seconds = (Date.now() - started) / 1000;

      // Memory at each mark: the median of the samples taken in the last STEP/2 OS before it, so
      // one sample caught mid-recycle does not stand for the whole stretch.
      const at = (mark: number, field: 'rss_mb' | 'pss_mb') =>
        median(
          samples
            .filter((s) => s.processed > mark - STEP / 2 && s.processed <= mark)
            .map((s) => s[field]),
        );
      const marks = Array.from({ length: Math.floor(TOTAL / STEP) }, (_, i) => (i + 1) * STEP);
      const byMark = marks.map((mark) => ({
        processed: mark,
        rss_mb: at(mark, 'rss_mb'),
        pss_mb: at(mark, 'pss_mb'),
      }));
      const growth = (field: 'rss_mb' | 'pss_mb') =>
        Math.round(((at(TOTAL, field) - at(WARM, field)) / at(WARM, field)) * 1000) / 10;
      const account = await expectRunInvariants(api, sim, ids);
      // Successes by path: "not found" may be told by either path, as the learnt order goes.
      const paths = await api.db.query<{ path: string; n: string }>(
        `SELECT path, count(*) AS n FROM scraping_usage_stats
          WHERE batch_id = ANY($1) AND outcome = 'success' GROUP BY path`,
        [ids],
      );
      figures.set('soak', {
        os: TOTAL,
        seconds: Math.round(seconds),
        os_per_second: Math.round((TOTAL / seconds) * 10) / 10,
        settings: {
          SCRAPER_CONTEXT_MAX_USES: settings.SCRAPER_CONTEXT_MAX_USES,
          SCRAPER_BROWSER_MAX_PAGES: settings.SCRAPER_BROWSER_MAX_PAGES,
        },
        warm_up_os: WARM,
        rss_growth_percent_after_warm_up: growth('rss_mb'),
        pss_growth_percent_after_warm_up: growth('pss_mb'),
        peak_rss_mb: Math.max(...samples.map((s) => s.rss_mb)),
        by_mark: byMark,
        successes_by_path: Object.fromEntries(paths.map((row) => [row.path, Number(row.n)])),
        ...account,
      });
      expect(account.failed).toBe(0);
      expect(Number(paths.find((row) => row.path === 'browser')?.n ?? 0)).toBe(account.success);
      // The aim: less than 10 % growth from the end of warm-up to the end, in RSS summed over
      // Node and every Chromium process (PSS, shared pages counted once, is recorded beside it).
      expect(growth('rss_mb')).toBeLessThan(10);

      await worker.stop('SIGTERM');
      await expect.poll(() => tracker.alive(), { timeout: 30_000 }).toEqual([]);
    },
    SOAK ? 5 * 3600_000 : 600_000,
  );
});
