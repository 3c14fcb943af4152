import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createClient, type RedisClientType } from 'redis';
import { withTimeout } from '../common/with-timeout.js';
import { AppConfig } from '../config/app-config.js';

/**
 * The service's own Redis connection (Bull keeps its own): politeness semaphores, throttle
 * counters, idempotency keys and progress pub/sub. Every key goes through `key()` so that
 * one Redis can serve several deployments or test files side by side.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: RedisClientType;
  private readonly subscribers = new Set<RedisClientType>();
  private lastError?: string;

  constructor(private readonly config: AppConfig) {
    this.client = this.createConnection('main');
    // Connecting in the background: the API stays up while Redis is away and reports it.
    this.client.connect().catch(() => undefined);
  }

  /** Prefixes key parts with the deployment's Redis prefix. */
  key(...parts: Array<string | number>): string {
    return [this.config.REDIS_PREFIX, ...parts].join(':');
  }

  get isReady(): boolean {
    return this.client.isReady;
  }

  get lastConnectionError(): string | undefined {
    return this.lastError;
  }

  /** PING with a deadline; resolves the round-trip in ms or rejects. */
  async ping(timeoutMs = 1_000): Promise<number> {
    const started = performance.now();
    await withTimeout(this.client.ping(), timeoutMs, 'Redis did not answer PING');
    return performance.now() - started;
  }

  /** A dedicated connection for SUBSCRIBE, closed with the service. */
  async createSubscriber(): Promise<RedisClientType> {
    const subscriber = this.createConnection('subscriber');
    this.subscribers.add(subscriber);
    await subscriber.connect();
    return subscriber;
  }

  async releaseSubscriber(subscriber: RedisClientType): Promise<void> {
    this.subscribers.delete(subscriber);
    if (subscriber.isOpen) await subscriber.close().catch(() => subscriber.destroy());
  }

  async onApplicationShutdown(): Promise<void> {
    for (const subscriber of this.subscribers) await this.releaseSubscriber(subscriber);
    if (this.client.isOpen) {
      await withTimeout(this.client.close(), 2_000, 'close').catch(() => this.client.destroy());
    }
  }

  private createConnection(name: string): RedisClientType {
    const client: RedisClientType = createClient({
      url: this.config.REDIS_URL,
      // Fail fast while disconnected instead of queueing commands the caller waits on.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 3_000,
        reconnectStrategy: (retries: number) => Math.min(200 * 2 ** retries, 5_000),
      },
    });
    client.on('error', (error: Error) => {
      if (this.lastError !== error.message) {
        this.logger.warn(`Redis (${name}) connection error: ${error.message}`);
      }
      this.lastError = error.message;
    });
    client.on('ready', () => {
      if (this.lastError) this.logger.log(`Redis (${name}) connected again`);
      this.lastError = undefined;
    });
    return client;
  }
}
