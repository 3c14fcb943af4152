import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AppConfig } from '../config/app-config.js';
import { isQueueReachable } from '../queues/enqueue.js';
import { ALL_QUEUES, QueueName } from '../queues/queue-names.js';
import { ProcessHeartbeat } from '../redis/process-heartbeat.service.js';
import { RedisService } from '../redis/redis.service.js';
import { PathChooser, type PathChoice } from '../scraping/paths/path-chooser.service.js';
import { CircuitBreaker, type BreakerState } from '../scraping/target/circuit-breaker.service.js';
import { UsageQueriesService } from '../stats/usage-queries.service.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  throttled: number;
  completed: number;
  failed: number;
  paused: number;
}

export interface QueueStatus {
  redis: { reachable: boolean; latency_ms: number | null; error: string | null };
  queues: Record<QueueName, QueueCounts | null>;
  workers: Array<Record<string, unknown>>;
  workers_connected: number;
  circuit_breaker: BreakerState | null;
  /** The order of paths in use for the target and why (the profile's, or learnt). */
  path_choice: PathChoice | null;
  inline_fallback: boolean;
  last_errors: Array<{
    os_number: string;
    error_code: string | null;
    error_message: string | null;
    at: string;
  }>;
  generated_at: string;
}

/** Live state of the queues, the worker processes (with their browser pools) and recent errors. */
@Injectable()
export class QueueStatusService {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.Scraping) scraping: Queue,
    @InjectQueue(QueueName.Batch) batch: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly heartbeat: ProcessHeartbeat,
    private readonly breaker: CircuitBreaker,
    private readonly usage: UsageQueriesService,
    private readonly paths: PathChooser,
  ) {
    this.queues = { scraping, scraping_batch: batch, maintenance };
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /**
   * What one caller may see: the whole picture for admins; for a user, the aggregate figures and
   * their own recent errors only (no worker hosts, pids or sessions, nor others' OS numbers).
   */
  async statusFor(viewer: AuthenticatedUser): Promise<QueueStatus> {
    if (viewer.role === 'admin') return this.status();
    const status = await this.status(viewer.id);
    return {
      ...status,
      redis: { ...status.redis, error: status.redis.reachable ? null : 'unavailable' },
      workers: [],
    };
  }

  /** Everything, with the last errors of every user or of `errorsOf` only. */
  async status(errorsOf?: string): Promise<QueueStatus> {
    const redis = await this.redisState();
    // Independent reads, side by side: the dashboard waits for the slowest, not for their sum.
    const [queues, processes, breaker, pathChoice, lastErrors] = await Promise.all([
      Promise.all(
        ALL_QUEUES.map(
          async (name) => [name, redis.reachable ? await this.counts(name) : null] as const,
        ),
      ).then((entries) => Object.fromEntries(entries) as Record<QueueName, QueueCounts | null>),
      this.heartbeat.liveProcesses(),
      redis.reachable ? this.breaker.state().catch(() => null) : null,
      redis.reachable ? this.paths.choice().catch(() => null) : null,
      this.usage.lastErrors(10, errorsOf),
    ]);
    const workers = processes.filter(
      (process) => process.role === 'worker' || process.role === 'all',
    );
    return {
      redis,
      queues,
      workers,
      workers_connected: workers.length,
      circuit_breaker: breaker,
      path_choice: pathChoice,
      inline_fallback: this.config.SCRAPER_INLINE_FALLBACK,
      last_errors: lastErrors,
      generated_at: new Date().toISOString(),
    };
  }

  /** Jobs per state; `throttled` are delayed jobs the per-user limiter holds back (never tried yet). */
  async counts(name: QueueName): Promise<QueueCounts | null> {
    const queue = this.queue(name);
    if (!isQueueReachable(queue)) return null;
    const counts = await queue.getJobCounts();
    const delayed = counts.delayed > 0 ? await queue.getDelayed(0, 999) : [];
    return {
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      throttled: delayed.filter((job) => job && job.attemptsMade === 0).length,
      completed: counts.completed,
      failed: counts.failed,
      paused: (counts as { paused?: number }).paused ?? 0,
    };
  }

  private async redisState(): Promise<QueueStatus['redis']> {
    try {
      return {
        reachable: true,
        latency_ms: Math.round((await this.redis.ping(1_000)) * 10) / 10,
        error: null,
      };
    } catch (error) {
      return {
        reachable: false,
        latency_ms: null,
        error: this.redis.lastConnectionError ?? (error as Error).message,
      };
    }
  }
}
