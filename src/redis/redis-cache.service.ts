import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from './redis.service.js';

/**
 * A small read-through cache in Redis for figures that are costly to compute and slow to change.
 * Shared by every API process; without Redis it computes every time.
 */
@Injectable()
export class RedisCache {
  private readonly logger = new Logger(RedisCache.name);

  constructor(private readonly redis: RedisService) {}

  /** The cached value of `key`, or `compute()` stored for `ttlSeconds` (0: never cached). */
  async get<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
    if (ttlSeconds <= 0 || !this.redis.isReady) return compute();
    const full = this.redis.key('cache', key);
    try {
      const hit = await this.redis.client.get(full);
      if (hit !== null) return JSON.parse(hit) as T;
    } catch (error) {
      this.logger.debug(`cache read failed: ${(error as Error).message}`);
    }
    return this.refresh(key, ttlSeconds, compute);
  }

  /** Computes and stores `key` now (maintenance warms the common figures this way). */
  async refresh<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
    const value = await compute();
    if (ttlSeconds > 0 && this.redis.isReady) {
      await this.redis.client
        .set(this.redis.key('cache', key), JSON.stringify(value), {
          expiration: { type: 'EX', value: ttlSeconds },
        })
        .catch(() => undefined);
    }
    return value;
  }
}
