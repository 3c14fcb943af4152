import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RedisClientType } from 'redis';
import { AppConfig } from '../config/app-config.js';
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

/** An event as logged: `id` is its Redis stream id, the SSE id a client resumes from. */
export type LoggedBatchEvent = BatchEvent & { id?: string };

/** A batch emits about two events per OS; this keeps every event of the largest batches. */
const LOG_MAX_LENGTH = 25_000;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
/** The id given to a snapshot when the batch has logged nothing yet. */
export const FIRST_ID = '0-0';

/** Orders two Redis stream ids (`<ms>-<seq>`). */
export function compareEventIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  return aMs === bMs ? Number(aSeq - bSeq) : aMs < bMs ? -1 : 1;
}

/**
 * Batch progress over Redis pub/sub, so an `api` process can stream (SSE) what a `worker`
 * process is doing. One subscriber connection per process serves every watcher.
 *
 * Each event is also appended to a short Redis stream per batch (kept for
 * `BATCH_EVENTS_RETENTION_SECONDS`), whose entry id becomes the SSE id: a client reconnecting with
 * `Last-Event-ID` is replayed exactly what it missed, in order. The database only holds the
 * resulting state, not the sequence of events, so it serves as the fallback snapshot.
 */
@Injectable()
export class BatchEventsService implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchEventsService.name);
  private subscriber?: Promise<RedisClientType>;
  private readonly channels = new Map<
    string,
    { listeners: Set<(event: LoggedBatchEvent) => void>; subscribed: Promise<unknown> }
  >();

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** Logs then publishes an event; progress is best effort (the database holds the truth). */
  async publish(batchId: string, event: BatchEvent): Promise<void> {
    const log = this.log(batchId);
    try {
      const id = await this.redis.client.xAdd(
        log,
        '*',
        { event: JSON.stringify(event) },
        { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: LOG_MAX_LENGTH } },
      );
      await this.redis.client.expire(log, this.config.BATCH_EVENTS_RETENTION_SECONDS);
      await this.redis.client.publish(this.channel(batchId), JSON.stringify({ ...event, id }));
    } catch (error) {
      this.logger.debug(
        `event for batch ${batchId} not published: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * The logged events after `afterId`, or null when the log cannot say (expired, trimmed past
   * it, or an id it never held): the caller then starts over from the stored state.
   */
  async since(batchId: string, afterId: string): Promise<LoggedBatchEvent[] | null> {
    if (!STREAM_ID.test(afterId)) return null;
    const entries = (await this.redis.client.xRange(this.log(batchId), afterId, '+')) ?? [];
    // `0-0` is the id of a snapshot taken before anything was logged: everything is new.
    const missed =
      afterId === FIRST_ID ? entries : entries[0]?.id === afterId ? entries.slice(1) : null;
    if (!missed) return null;
    return missed.flatMap((entry) => {
      const event = parseEvent(entry.message.event);
      return event ? [{ ...event, id: entry.id }] : [];
    });
  }

  /** The id of the latest logged event of a batch, if any. */
  async latestId(batchId: string): Promise<string | undefined> {
    const [latest] =
      (await this.redis.client.xRevRange(this.log(batchId), '+', '-', { COUNT: 1 })) ?? [];
    return latest?.id;
  }

  /** Calls `listener` with the events of one batch; resolves once Redis delivers them. */
  async subscribe(
    batchId: string,
    listener: (event: LoggedBatchEvent) => void,
  ): Promise<() => void> {
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
    const event = parseEvent(message);
    if (!event) return;
    for (const listener of this.channels.get(channel)?.listeners ?? []) listener(event);
  }

  private connection(): Promise<RedisClientType> {
    this.subscriber ??= this.redis.createSubscriber();
    return this.subscriber;
  }

  private channel(batchId: string): string {
    return this.redis.key('events', 'batch', batchId);
  }

  private log(batchId: string): string {
    return this.redis.key('events-log', 'batch', batchId);
  }
}

function parseEvent(message: string | undefined): LoggedBatchEvent | undefined {
  if (!message) return undefined;
  try {
    return JSON.parse(message) as LoggedBatchEvent;
  } catch {
    return undefined;
  }
}
