import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { sleep } from '../../common/sleep.js';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import { ScrapeError } from '../scrape-errors.js';
import { BREAKER_CHECK, BREAKER_FAILURE, BREAKER_SUCCESS } from './redis-scripts.js';
import { TargetDefinition } from './target-definition.js';

export interface BreakerState {
  state: 'closed' | 'open' | 'half_open';
  failures: number;
  opened: number;
}

const MAX_COOLDOWN_MS = 60_000;
const CLEAN_FOR_MS = 1_000;

/**
 * One circuit breaker per target, shared by all processes through Redis. While the target is
 * down, scrapes wait here instead of failing; one probe at a time tests whether it is back.
 */
@Injectable()
export class CircuitBreaker {
  private readonly logger = new Logger(CircuitBreaker.name);
  private readonly key: string;
  /** When this process last saw the circuit closed with no failures counted. */
  private lastSeenClean = 0;

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    target: TargetDefinition,
  ) {
    this.key = redis.key('target', target.id, 'breaker');
  }

  /** Resolves when requests may go to the target; waits while the circuit is open. */
  async waitUntilClosed(signal?: AbortSignal): Promise<void> {
    // Without Redis there is no shared view of the target: go ahead (inline scraping only).
    if (!this.redis.isReady) return;
    const started = Date.now();
    let logged = false;
    for (;;) {
      const answer = String(
        await this.redis.client.eval(BREAKER_CHECK, {
          keys: [this.key],
          arguments: [String(this.config.SCRAPER_HTTP_TIMEOUT_MS * 2), randomUUID()],
        }),
      );
      if (answer === 'closed' || answer === 'closed:failing' || answer === 'probe') {
        this.lastSeenClean = answer === 'closed' ? Date.now() : 0;
        return;
      }
      if (Date.now() - started > this.config.TARGET_OUTAGE_MAX_WAIT_MS) {
        throw new ScrapeError(
          'target_outage',
          `the target stayed unavailable for ${this.config.TARGET_OUTAGE_MAX_WAIT_MS} ms`,
          false,
        );
      }
      if (!logged) {
        this.logger.warn(
          'The target is unavailable (circuit open): waiting for it to answer again',
        );
        logged = true;
      }
      await sleep(Math.min(Math.max(Number(answer) || 250, 50), 1_000), signal);
    }
  }

  async recordSuccess(): Promise<void> {
    if (!this.redis.isReady) return;
    // Nothing to reset when the circuit was clean a moment ago: saves a round trip per OS.
    if (Date.now() - this.lastSeenClean < CLEAN_FOR_MS) return;
    const changed = await this.redis.client.eval(BREAKER_SUCCESS, {
      keys: [this.key],
      arguments: [String(this.config.CIRCUIT_COOLDOWN_MS)],
    });
    if (changed === 1) this.logger.log('The target answers again (circuit closed)');
  }

  async recordFailure(): Promise<void> {
    if (!this.redis.isReady) return;
    this.lastSeenClean = 0;
    await this.redis.client.eval(BREAKER_FAILURE, {
      keys: [this.key],
      arguments: [
        String(this.config.CIRCUIT_FAILURE_THRESHOLD),
        String(this.config.CIRCUIT_COOLDOWN_MS),
        String(MAX_COOLDOWN_MS),
      ],
    });
  }

  async state(): Promise<BreakerState> {
    const hash = await this.redis.client.hGetAll(this.key);
    return {
      state: (hash.state as BreakerState['state']) ?? 'closed',
      failures: Number(hash.failures ?? 0),
      opened: Number(hash.opened ?? 0),
    };
  }
}
