import type { QueueOptions } from 'bull';
import type { AppConfig } from '../config/app-config.js';
import { QueueName } from './queue-names.js';

const HOUR_MS = 3_600_000;

/**
 * Per-queue Bull settings. Per-user throttles use Bull's limiter with `groupKey`, so work over
 * the rate is delayed in the queue rather than refused. Bull then suffixes job ids with the
 * group (`<id>:<userId>`); `groupedJobId` computes the same id for lookups.
 */
export function queueOptions(name: QueueName, config: AppConfig): QueueOptions {
  const common: QueueOptions = {
    settings: {
      lockDuration: config.QUEUE_LOCK_DURATION_MS,
      lockRenewTime: Math.round(config.QUEUE_LOCK_DURATION_MS / 3),
      stalledInterval: Math.round(config.QUEUE_LOCK_DURATION_MS / 2),
      // PostgreSQL holds each item's outcome, so a stalled job is safe to run again.
      maxStalledCount: 10,
    },
    defaultJobOptions: {
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  };
  switch (name) {
    case QueueName.Scraping:
      return {
        ...common,
        limiter: { max: config.RATE_LIMIT_OS_PER_HOUR, duration: HOUR_MS, groupKey: 'userId' },
        defaultJobOptions: {
          ...common.defaultJobOptions,
          attempts: 3,
          backoff: { type: 'exponential', delay: 5_000 },
        },
      };
    case QueueName.Batch:
      return {
        ...common,
        limiter: { max: config.RATE_LIMIT_BATCHES_PER_HOUR, duration: HOUR_MS, groupKey: 'userId' },
        defaultJobOptions: {
          ...common.defaultJobOptions,
          attempts: 5,
          backoff: { type: 'exponential', delay: 10_000 },
        },
      };
    case QueueName.Maintenance:
      return {
        ...common,
        defaultJobOptions: {
          ...common.defaultJobOptions,
          attempts: 2,
          backoff: { type: 'fixed', delay: 30_000 },
        },
      };
  }
}

/** Concurrency of each queue's processor, from config. */
export function queueConcurrency(name: QueueName, config: AppConfig): number {
  switch (name) {
    case QueueName.Scraping:
      return config.QUEUE_SCRAPING_CONCURRENCY;
    case QueueName.Batch:
      return config.QUEUE_BATCH_CONCURRENCY;
    case QueueName.Maintenance:
      return config.QUEUE_MAINTENANCE_CONCURRENCY;
  }
}

/** The id Bull gives a job added with `jobId` on a queue whose limiter groups by user. */
export function groupedJobId(jobId: string, userId: string): string {
  return `${jobId}:${userId}`;
}
