import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RedisService } from './redis.service.js';

const TTL_MS = 6_000;
const BEAT_MS = 2_000;

/**
 * This process's identity in Redis, kept alive by a heartbeat key. Permits and session leases
 * carry it, so when a process dies (even by SIGKILL) others reclaim what it held within seconds
 * instead of waiting for long lease timeouts. Each beat also carries what the process reports
 * about itself (role, memory, browser pool), for the queue status and the memory alert.
 */
@Injectable()
export class ProcessHeartbeat implements OnModuleInit, OnApplicationShutdown {
  readonly id = `${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private readonly reporters = new Map<string, () => unknown>();
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly redis: RedisService) {}

  /** Prefix of every heartbeat key; `<prefix><id>` exists while that process lives. */
  get keyPrefix(): string {
    return this.redis.key('proc', '');
  }

  /** A token for something this process holds: `<process id>|<unique part>`. */
  token(unique: string): string {
    return `${this.id}|${unique}`;
  }

  /** Adds a section to what this process publishes about itself with each beat. */
  report(section: string, reporter: () => unknown): void {
    this.reporters.set(section, reporter);
  }

  /** What the live processes of the deployment published, one entry per process. */
  async liveProcesses(): Promise<Array<Record<string, unknown>>> {
    if (!this.redis.isReady) return [];
    const keys: string[] = [];
    for await (const batch of this.redis.client.scanIterator({
      MATCH: `${this.keyPrefix}*`,
      COUNT: 200,
    }))
      keys.push(...batch);
    if (keys.length === 0) return [];
    const values = await this.redis.client.mGet(keys);
    return values.flatMap((value) => {
      try {
        return value ? [JSON.parse(value) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
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
    const status: Record<string, unknown> = {
      id: this.id,
      pid: process.pid,
      host: hostname(),
      started_at: this.startedAt,
    };
    for (const [section, reporter] of this.reporters) {
      try {
        status[section] = reporter();
      } catch {
        status[section] = null;
      }
    }
    await this.redis.client
      .set(this.keyPrefix + this.id, JSON.stringify(status), {
        expiration: { type: 'PX', value: TTL_MS },
      })
      .catch(() => undefined);
  }
}
