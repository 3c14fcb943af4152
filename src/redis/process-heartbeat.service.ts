import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RedisService } from './redis.service.js';

const TTL_MS = 6_000;
const BEAT_MS = 2_000;

/**
 * This process's identity in Redis, kept alive by a heartbeat key. Permits and session leases
 * carry it, so when a process dies (even by SIGKILL) others reclaim what it held within seconds
 * instead of waiting for long lease timeouts.
 */
@Injectable()
export class ProcessHeartbeat implements OnModuleInit, OnApplicationShutdown {
  readonly id = `${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;

  constructor(private readonly redis: RedisService) {}

  /** Prefix of every heartbeat key; `<prefix><id>` exists while that process lives. */
  get keyPrefix(): string {
    return this.redis.key('proc', '');
  }

  /** A token for something this process holds: `<process id>|<unique part>`. */
  token(unique: string): string {
    return `${this.id}|${unique}`;
  }

  onModuleInit(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), BEAT_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.redis.isReady)
      await this.redis.client.del(this.keyPrefix + this.id).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    if (!this.redis.isReady) return;
    await this.redis.client
      .set(this.keyPrefix + this.id, '1', { expiration: { type: 'PX', value: TTL_MS } })
      .catch(() => undefined);
  }
}
