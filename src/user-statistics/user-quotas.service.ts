import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { QueueName } from '../queues/queue-names.js';
import { RedisService } from '../redis/redis.service.js';

export interface HourlyQuota {
  limit: number;
  used: number;
  remaining: number;
  resets_in_seconds: number;
}

/**
 * What is left of a user's hourly rates, read from Bull's own limiter counters (`<bull prefix>:
 * <queue>:limiter:<userId>`, a fixed window), so it matches what the queue enforces.
 */
@Injectable()
export class UserQuotasService {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async hourly(
    userId: string,
  ): Promise<{ os_per_hour: HourlyQuota; batches_per_hour: HourlyQuota }> {
    const [os, batches] = await Promise.all([
      this.quota(QueueName.Scraping, userId, this.config.RATE_LIMIT_OS_PER_HOUR),
      this.quota(QueueName.Batch, userId, this.config.RATE_LIMIT_BATCHES_PER_HOUR),
    ]);
    return { os_per_hour: os, batches_per_hour: batches };
  }

  private async quota(queue: QueueName, userId: string, limit: number): Promise<HourlyQuota> {
    const key = `${this.config.REDIS_PREFIX}:bull:${queue}:limiter:${userId}`;
    let used = 0;
    let ttlMs = 0;
    try {
      const [count, ttl] = await Promise.all([
        this.redis.client.get(key),
        this.redis.client.pTTL(key),
      ]);
      used = Number(count ?? 0);
      ttlMs = Math.max(0, ttl);
    } catch {
      // Redis away: nothing known about this hour.
    }
    return {
      limit,
      used: Math.min(used, limit),
      remaining: Math.max(0, limit - used),
      resets_in_seconds: used > 0 ? Math.ceil(ttlMs / 1000) : 0,
    };
  }
}
