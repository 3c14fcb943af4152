import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisService } from '../redis/redis.service.js';

/** Redis answers PING (queues, throttles and progress depend on it). */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisService,
  ) {}

  check() {
    return this.indicators
      .check('redis')
      .attempt(async () => ({ latency_ms: Math.round(await this.redis.ping(1_000)) }))
      .withTimeout(1_500);
  }
}
