import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppConfig } from '../config/app-config.js';
import { loadConfig } from '../config/load-config.js';
import { RedisService } from '../redis/redis.service.js';
import { OsScraperService } from './os-scraper.service.js';
import { BrowserPath } from './paths/browser-path.js';
import { HttpPath } from './paths/http-path.js';
import { PathChooser } from './paths/path-chooser.service.js';
import type { PathReading } from './paths/path-reading.js';
import type { TargetProfile } from './profile/target-profile.js';
import {
  IncompleteExtractionError,
  LoginFailedError,
  ScrapeError,
  SessionExpiredError,
} from './scrape-errors.js';
import { SessionPool } from './session/session-pool.service.js';
import { CircuitBreaker } from './target/circuit-breaker.service.js';
import { TargetDefinition } from './target/target-definition.js';

/** One scripted answer of a path: a reading, or an error thrown. */
type Step = PathReading | Error;

/** A path that answers from a script, one step per call, and remembers each call. */
class ScriptedPath {
  readonly calls: string[] = [];
  private steps: Step[] = [];

  script(...steps: Step[]): void {
    this.steps = steps;
    this.calls.length = 0;
  }

  /** Places in the browser taken (`admit`) and not yet given back. */
  held = 0;

  admit = (): Promise<() => void> => {
    this.held += 1;
    let left = false;
    return Promise.resolve(() => {
      if (!left) this.held -= 1;
      left = true;
    });
  };

  read = (osNumber: string): Promise<PathReading> => this.next(osNumber);
  readRobust = (osNumber: string): Promise<PathReading> => this.next(`robust:${osNumber}`);

  private next(call: string): Promise<PathReading> {
    this.calls.push(call);
    const step = this.steps.shift() ?? new Error('no more steps scripted');
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  }
}

/** Leases that cost nothing; counts fresh logins asked for. */
class CountingSessions {
  freshLogins = 0;
  acquire(_signal?: AbortSignal, options?: { fresh?: boolean }) {
    if (options?.fresh) this.freshLogins += 1;
    return Promise.resolve({ release: () => Promise.resolve(), invalidate: () => undefined });
  }
}

const ok: PathReading = { kind: 'ok', data: { numero: '1001' } };
// Retryable, but no fault of the target: the (real) circuit breaker stays closed.
const busy = () => new ScrapeError('target_busy', 'the target is busy', true);

// The real scraper with its real retry, fallback and path-choice logic (PathChooser and the
// circuit breaker on a Redis prefix of this file's own); only the paths and sessions are scripted.
describe('OsScraperService: retry and fallback', () => {
  let module: TestingModule;
  let scraper: OsScraperService;
  let redis: RedisService;
  const http = new ScriptedPath();
  const browser = new ScriptedPath();
  const sessions = new CountingSessions();
  const prefix = `ros-unit-scraper-${process.pid}`;

  beforeAll(async () => {
    const config = loadConfig({
      REDIS_PREFIX: prefix,
      SCRAPER_MAX_ATTEMPTS: '3',
      SCRAPER_RETRY_BASE_MS: '0',
    });
    const profile = { base_url: 'http://target.test', os_number_pattern: '^\\d+$' };
    module = await Test.createTestingModule({
      providers: [
        OsScraperService,
        PathChooser,
        CircuitBreaker,
        RedisService,
        { provide: AppConfig, useValue: config },
        {
          provide: TargetDefinition,
          useValue: new TargetDefinition(profile as TargetProfile, 'user', 'secret'),
        },
        { provide: HttpPath, useValue: http },
        { provide: BrowserPath, useValue: browser },
        { provide: SessionPool, useValue: sessions },
      ],
    }).compile();
    scraper = module.get(OsScraperService);
    redis = module.get(RedisService);
  });

  beforeEach(async () => {
    sessions.freshLogins = 0;
    // Each case starts from the default order, whatever the last one taught the chooser.
    const keys = redis.isReady ? await redis.client.keys(`${prefix}:*`) : [];
    if (keys.length > 0) await redis.client.del(keys);
  });

  afterAll(async () => {
    const keys = redis.isReady ? await redis.client.keys(`${prefix}:*`) : [];
    if (keys.length > 0) await redis.client.del(keys);
    await module.close();
  });

  it('retries a retryable error on the same path and counts every try', async () => {
    http.script(busy(), busy(), ok);
    browser.script();
    const result = await scraper.scrape('1001', { userId: 'u' });
    expect(result).toMatchObject({ outcome: 'success', path: 'http', attempts: 3 });
    expect(browser.calls).toEqual([]);
  });

  it('falls back to the browser when HTTP leaves a required field empty, without retrying HTTP', async () => {
    http.script(new IncompleteExtractionError(['cliente']));
    browser.script(ok);
    const result = await scraper.scrape('1002', { userId: 'u' });
    expect(result).toMatchObject({ outcome: 'success', path: 'browser', attempts: 2 });
    expect(http.calls).toEqual(['1002']);
    expect(browser.calls).toEqual(['1002']);
  });

  it('goes on to the robust browser when the pooled one runs out of tries', async () => {
    http.script(busy(), busy(), busy());
    browser.script(busy(), busy(), busy(), ok);
    const result = await scraper.scrape('1003', { userId: 'u' });
    expect(result).toMatchObject({ outcome: 'success', path: 'robust', attempts: 7 });
    expect(browser.calls.at(-1)).toBe('robust:1003');
    // Every browser and robust try gave its place in the browser back, failed ones included.
    expect(browser.held).toBe(0);
  });

  it('takes "not found" as an outcome: one try, no other path', async () => {
    http.script({ kind: 'not_found' });
    browser.script();
    const result = await scraper.scrape('1004', { userId: 'u' });
    expect(result).toMatchObject({ outcome: 'not_found', path: 'http', attempts: 1 });
    expect(browser.calls).toEqual([]);
  });

  it('stops at an error no heavier path can fix, with its code', async () => {
    http.script(new LoginFailedError());
    browser.script(ok);
    const result = await scraper.scrape('1005', { userId: 'u' });
    expect(result).toMatchObject({
      outcome: 'failed',
      path: 'http',
      attempts: 1,
      errorCode: 'login_failed',
    });
    expect(browser.calls).toEqual([]);
  });

  it('logs in afresh once on an expired session, without spending a try', async () => {
    http.script(new SessionExpiredError(), ok);
    browser.script();
    const result = await scraper.scrape('1006', { userId: 'u' });
    expect(result).toMatchObject({ outcome: 'success', path: 'http' });
    expect(sessions.freshLogins).toBe(1);
    expect(http.calls).toEqual(['1006', '1006']);
  });

  it('fails an OS number the profile does not accept without reading the target', async () => {
    http.script(ok);
    const result = await scraper.scrape('not-a-number', { userId: 'u' });
    expect(result).toMatchObject({
      outcome: 'failed',
      errorCode: 'invalid_os_number',
      attempts: 0,
    });
    expect(http.calls).toEqual([]);
  });
});
