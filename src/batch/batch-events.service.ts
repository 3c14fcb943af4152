import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RedisClientType } from 'redis';
import { RedisService } from '../redis/redis.service.js';
import type { TaskItemResultDto, TaskStatusDto } from '../scraping/dto/task-status.dto.js';

/** What a batch tells its watchers, as it happens. */
export type BatchEvent =
  | {
      type: 'progress';
      data: {
        task_id: string;
        state: string;
        processed: number;
        total: number;
        progress: number;
        message: string;
      };
    }
  | { type: 'item'; data: TaskItemResultDto & { task_id: string } }
  | { type: 'final'; data: TaskStatusDto };

/**
 * Batch progress over Redis pub/sub, so an `api` process can stream (SSE) what a `worker`
 * process is doing. One subscriber connection per process serves every watcher.
 */
@Injectable()
export class BatchEventsService implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchEventsService.name);
  private subscriber?: Promise<RedisClientType>;
  private readonly channels = new Map<
    string,
    { listeners: Set<(event: BatchEvent) => void>; subscribed: Promise<unknown> }
  >();

  constructor(private readonly redis: RedisService) {}

  /** Publishes an event; progress is best effort (the database holds the truth). */
  async publish(batchId: string, event: BatchEvent): Promise<void> {
    await this.redis.client
      .publish(this.channel(batchId), JSON.stringify(event))
      .catch((error: Error) => {
        this.logger.debug(`event for batch ${batchId} not published: ${error.message}`);
      });
  }

  /** Calls `listener` with the events of one batch; resolves once Redis delivers them. */
  async subscribe(batchId: string, listener: (event: BatchEvent) => void): Promise<() => void> {
    const channel = this.channel(batchId);
    let entry = this.channels.get(channel);
    if (!entry) {
      const subscribed = this.connection().then((subscriber) =>
        subscriber.subscribe(channel, (message) => this.dispatch(channel, message)),
      );
      entry = { listeners: new Set(), subscribed };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    await entry.subscribed;
    return () => {
      const current = this.channels.get(channel);
      current?.listeners.delete(listener);
      if (current && current.listeners.size === 0) {
        this.channels.delete(channel);
        void this.connection()
          .then((subscriber) => subscriber.unsubscribe(channel))
          .catch(() => undefined);
      }
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscriber)
      await this.redis.releaseSubscriber(await this.subscriber).catch(() => undefined);
  }

  private dispatch(channel: string, message: string): void {
    let event: BatchEvent;
    try {
      event = JSON.parse(message) as BatchEvent;
    } catch {
      return;
    }
    for (const listener of this.channels.get(channel)?.listeners ?? []) listener(event);
  }

  private connection(): Promise<RedisClientType> {
    this.subscriber ??= this.redis.createSubscriber();
    return this.subscriber;
  }

  private channel(batchId: string): string {
    return this.redis.key('events', 'batch', batchId);
  }
}
