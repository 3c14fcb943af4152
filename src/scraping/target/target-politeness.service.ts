import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sleep } from '../../common/sleep.js';
import { AppConfig } from '../../config/app-config.js';
import { ProcessHeartbeat } from '../../redis/process-heartbeat.service.js';
import { RedisService } from '../../redis/redis.service.js';
import { ScrapeError } from '../scrape-errors.js';
import { TargetDefinition } from './target-definition.js';
import { ACQUIRE_PERMIT, TAKE_RATE_TOKEN } from './redis-scripts.js';

const LOCAL_PERMIT = 'local';

/** Takes a rate token before each further request made under one permit. */
export type Pace = () => Promise<void>;

/**
 * Politeness towards the target that holds across every worker process: at most
 * `TARGET_MAX_CONCURRENCY` requests in flight and `TARGET_MAX_RPS` started per second. A permit
 * covers one request, or a sequence of requests that never overlap (a page and its JSON), each
 * after its own rate token.
 */
@Injectable()
export class TargetPoliteness {
  private readonly permitsKey: string;
  private readonly rateKey: string;
  private readonly permitTtlMs: number;
  private localInFlight = 0;
  private readonly localWaiters: Array<() => void> = [];

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    private readonly heartbeat: ProcessHeartbeat,
    target: TargetDefinition,
  ) {
    this.permitsKey = redis.key('target', target.id, 'in-flight');
    this.rateKey = redis.key('target', target.id, 'rps');
    // A crashed holder's permit lapses after the longest request could have lasted.
    this.permitTtlMs =
      Math.max(config.SCRAPER_ROBUST_TIMEOUT_MS, config.SCRAPER_HTTP_TIMEOUT_MS) * 2;
  }

  /** Runs `work` (one request) once a permit and a rate token are available. */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.sequence(() => work(), signal);
  }

  /** Runs `work` under one permit; it calls `pace()` before each request after its first. */
  async sequence<T>(work: (pace: Pace) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const token = await this.acquire(signal);
    try {
      return await work(() => this.takeRateToken(signal));
    } finally {
      await this.release(token);
    }
  }

  /** A permit with this second's rate token (one round trip to Redis when both are free). */
  async acquire(signal?: AbortSignal): Promise<string> {
    if (!this.redis.isReady) return this.acquireLocally(signal);
    const token = this.heartbeat.token(randomUUID());
    const deadline = Date.now() + this.permitTtlMs * 5;
    let wait = 2;
    for (;;) {
      const answer = Number(
        await this.redis.client.eval(ACQUIRE_PERMIT, {
          keys: [this.permitsKey, this.heartbeat.keyPrefix, this.rateKey],
          arguments: [
            String(this.config.TARGET_MAX_CONCURRENCY),
            String(this.permitTtlMs),
            token,
            String(this.config.TARGET_MAX_RPS),
          ],
        }),
      );
      if (answer === 1) return token;
      if (Date.now() > deadline)
        throw new ScrapeError('target_busy', 'no request slot to the target became free', true);
      if (answer < 0) {
        await sleep(-answer + Math.random() * 20, signal);
        continue;
      }
      await sleep(wait + Math.random() * wait, signal);
      wait = Math.min(wait * 2, 50);
    }
  }

  async release(token: string): Promise<void> {
    if (token === LOCAL_PERMIT) {
      this.localInFlight -= 1;
      this.localWaiters.shift()?.();
      return;
    }
    await this.redis.client.zRem(this.permitsKey, token).catch(() => undefined);
  }

  /** Without Redis (inline scraping) the limit holds for this process alone. */
  private async acquireLocally(signal?: AbortSignal): Promise<string> {
    while (this.localInFlight >= this.config.TARGET_MAX_CONCURRENCY) {
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => this.localWaiters.push(resolve));
    }
    this.localInFlight += 1;
    return LOCAL_PERMIT;
  }

  /** Requests in flight to the target right now, across all processes. */
  async inFlight(): Promise<number> {
    await this.redis.client.zRemRangeByScore(this.permitsKey, '-inf', Date.now());
    return this.redis.client.zCard(this.permitsKey);
  }

  private async takeRateToken(signal?: AbortSignal): Promise<void> {
    if (this.config.TARGET_MAX_RPS === 0 || !this.redis.isReady) return;
    for (;;) {
      const waitMs = Number(
        await this.redis.client.eval(TAKE_RATE_TOKEN, {
          keys: [this.rateKey],
          arguments: [String(this.config.TARGET_MAX_RPS)],
        }),
      );
      if (waitMs === 0) return;
      await sleep(waitMs + Math.random() * 20, signal);
    }
  }
}
