import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';
import { loadBuilt, mapConcurrently } from '../lib/index.js';
import { PROFILE_PATHS, type ReadOutcome, type Runner, type RunnerInput } from './runner-types.js';

type Built = {
  app: typeof import('../../src/app.module.js');
  config: typeof import('../../src/config/load-config.js');
  scraper: typeof import('../../src/scraping/os-scraper.service.js');
  browserPath: typeof import('../../src/scraping/paths/browser-path.js');
  browserPool: typeof import('../../src/scraping/browser/browser-pool.service.js');
  blocker: typeof import('../../src/scraping/browser/request-blocker.js');
  sessions: typeof import('../../src/scraping/session/session-pool.service.js');
  chooser: typeof import('../../src/scraping/paths/path-chooser.service.js');
};

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ros_bench';

async function loadService(): Promise<Built> {
  const [app, config, scraper, browserPath, browserPool, blocker, sessions, chooser] =
    await Promise.all([
      loadBuilt<Built['app']>('app.module.js'),
      loadBuilt<Built['config']>('config/load-config.js'),
      loadBuilt<Built['scraper']>('scraping/os-scraper.service.js'),
      loadBuilt<Built['browserPath']>('scraping/paths/browser-path.js'),
      loadBuilt<Built['browserPool']>('scraping/browser/browser-pool.service.js'),
      loadBuilt<Built['blocker']>('scraping/browser/request-blocker.js'),
      loadBuilt<Built['sessions']>('scraping/session/session-pool.service.js'),
      loadBuilt<Built['chooser']>('scraping/paths/path-chooser.service.js'),
    ]);
  return { app, config, scraper, browserPath, browserPool, blocker, sessions, chooser };
}

/** The worker's environment for a run against the simulator, as fast as the target allows. */
function workerEnv(input: RunnerInput, redisPrefix: string): Record<string, string> {
  const concurrency = String(input.concurrency);
  return {
    ROLE: 'worker',
    DATABASE_URL,
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    TARGET_PROFILE: PROFILE_PATHS[input.layout],
    TARGET_BASE_URL: input.simulatorUrl,
    TARGET_USERNAME: 'demo',
    TARGET_PASSWORD: 'demo',
    TARGET_MAX_RPS: '0',
    TARGET_MAX_CONCURRENCY: concurrency,
    TARGET_MAX_SESSIONS: concurrency,
    // The pool as deployed: sized and tuned for this machine (`--worker-env` to fix a number).
    SCRAPER_MAX_CONTEXTS: 'auto',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-scrape-paths-not-a-secret-0123456789',
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    ...input.workerEnv,
  };
}

/**
 * Our paths, run from the built service: `http` through `OsScraperService.scrape` (the
 * product's entry, breaker and retries included; an OS it hands to a browser counts as an
 * error), `browser` and `robust` by calling the browser path directly with a leased session,
 * `auto` through `OsScraperService.scrape` on whatever path the service chooses (its path
 * choice, with the HTTP reads it wasted, goes into the notes).
 */
export function serviceRunner(path: 'http' | 'browser' | 'robust' | 'auto'): Runner {
  return async (input, tracker) => {
    const built = await loadService();
    const redisPrefix = `ros-bench-${randomBytes(4).toString('hex')}`;
    const app = await NestFactory.createApplicationContext(
      built.app.AppModule.forRoot(built.config.loadConfig(workerEnv(input, redisPrefix))),
      { logger: false },
    );
    try {
      const scraper = app.get(built.scraper.OsScraperService);
      const browserPath = app.get(built.browserPath.BrowserPath);
      const sessions = app.get(built.sessions.SessionPool);

      const readHttp = async (osNumber: string): Promise<ReadOutcome> => {
        const result = await scraper.scrape(osNumber, { userId: 'bench' });
        if (result.path !== 'http') {
          return {
            kind: 'error',
            message: `ended on the ${result.path} path: ${result.errorCode}`,
          };
        }
        if (result.outcome === 'success') return { kind: 'ok', data: result.data ?? {} };
        if (result.outcome === 'not_found') return { kind: 'not_found' };
        return { kind: 'error', message: `${result.errorCode}: ${result.errorMessage}` };
      };
      const readBrowser = async (osNumber: string): Promise<ReadOutcome> => {
        // An expired session is the only thing worth another try at zero faults.
        for (let attempt = 0; ; attempt += 1) {
          // As OsScraperService does: a place in the browser first, then the session.
          const leaveBrowser = await browserPath.admit();
          const session = await sessions.acquire().catch((error: unknown) => {
            leaveBrowser();
            throw error;
          });
          try {
            const outcome =
              path === 'robust'
                ? await browserPath.readRobust(osNumber, session)
                : await browserPath.read(osNumber, session);
            if (outcome.kind === 'forbidden') return { kind: 'error', message: 'forbidden' };
            return outcome.kind === 'ok' ? { kind: 'ok', data: outcome.data } : outcome;
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === 'session_expired' && attempt < 2) {
              session.invalidate();
              continue;
            }
            return { kind: 'error', message: `${code ?? 'error'}: ${(error as Error).message}` };
          } finally {
            await session.release();
            leaveBrowser();
          }
        }
      };

      const byPath: Record<string, number> = {};
      const readAuto = async (osNumber: string): Promise<ReadOutcome> => {
        const result = await scraper.scrape(osNumber, { userId: 'bench' });
        byPath[result.path ?? 'none'] = (byPath[result.path ?? 'none'] ?? 0) + 1;
        if (result.outcome === 'success') return { kind: 'ok', data: result.data ?? {} };
        if (result.outcome === 'not_found') return { kind: 'not_found' };
        return { kind: 'error', message: `${result.errorCode}: ${result.errorMessage}` };
      };

      const read = path === 'http' ? readHttp : path === 'auto' ? readAuto : readBrowser;
      // With SCRAPER_MAX_CONTEXTS=auto the limit moves: seconds spent at each value.
      const pool = app.get(built.browserPool.BrowserPool);
      const secondsAtLimit: Record<number, number> = {};
      const limitClock = setInterval(() => {
        const limit = pool.stats().scrapes_limit;
        secondsAtLimit[limit] = (secondsAtLimit[limit] ?? 0) + 1;
      }, 1000);
      tracker.begin();
      try {
        await mapConcurrently(input.numbers, input.concurrency, async (osNumber) => {
          const outcome = await read(osNumber).catch((error: unknown): ReadOutcome => ({
            kind: 'error',
            message: String(error),
          }));
          tracker.record(osNumber, outcome);
        });
      } finally {
        clearInterval(limitClock);
      }
      return {
        ...(path === 'auto'
          ? {
              read_by_path: byPath,
              path_choice: await app.get(built.chooser.PathChooser).choice(),
            }
          : {}),
        sessions: sessions.stats(),
        browser_pool: pool.stats(),
        seconds_at_scrapes_limit: secondsAtLimit,
        blocked_requests: app.get(built.blocker.RequestBlocker).stats(),
      };
    } finally {
      await app.close();
      await deleteRedisKeys(redisPrefix);
    }
  };
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}
