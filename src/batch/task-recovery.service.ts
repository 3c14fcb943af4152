import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue, isQueueReachable } from '../queues/enqueue.js';
import type { BatchJobData, ScrapingJobData } from '../queues/job-payloads.js';
import { QueueName } from '../queues/queue-names.js';
import { groupedJobId } from '../queues/queue-options.js';
import { ScrapeOutcomeWriter } from '../scraping/scrape-outcome.writer.js';
import { ScrapeRequestsService } from '../scraping/scrape-requests.service.js';
import type { ScrapeResult } from '../scraping/scrape-result.js';
import { BatchStore } from './batch-store.service.js';
import type { ScrapingBatch } from './entities/scraping-batch.entity.js';

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'paused']);
/** A batch started this many times without finishing is failed rather than retried forever. */
const MAX_RUNS = 20;

export interface RecoveryReport {
  batches_requeued: number;
  batches_failed: number;
  requests_requeued: number;
}

/**
 * Recovers every kind of task, single-OS requests and batches alike: finds accepted work whose job is gone from Redis (a flushed or restarted Redis, a job that
 * failed for good) and queues it again; PostgreSQL knows what is left to do. Run by maintenance.
 */
@Injectable()
export class TaskRecoveryService {
  private readonly logger = new Logger(TaskRecoveryService.name);

  constructor(
    @InjectQueue(QueueName.Batch) private readonly batchQueue: Queue<BatchJobData>,
    @InjectQueue(QueueName.Scraping) private readonly scrapingQueue: Queue<ScrapingJobData>,
    private readonly store: BatchStore,
    private readonly requests: ScrapeRequestsService,
    private readonly writer: ScrapeOutcomeWriter,
  ) {}

  /** Re-queues open batches and single-OS requests idle for `idleMs` that have no live job. */
  async recoverOrphans(idleMs = 60_000): Promise<RecoveryReport> {
    const report: RecoveryReport = { batches_requeued: 0, batches_failed: 0, requests_requeued: 0 };
    if (!isQueueReachable(this.batchQueue)) return report;
    const before = new Date(Date.now() - idleMs);
    for (const batch of await this.store.findOpen(before)) {
      if (await this.hasLiveJob(this.batchQueue, groupedJobId(batch.id, batch.userId))) continue;
      if (batch.runs >= MAX_RUNS) {
        await this.failForGood(batch);
        report.batches_failed += 1;
        continue;
      }
      await enqueue(
        this.batchQueue,
        { batchId: batch.id, userId: batch.userId },
        { jobId: batch.id },
      );
      report.batches_requeued += 1;
      this.logger.warn(`Batch ${batch.id} had no live job: queued again`);
    }
    for (const request of await this.requests.findOpen(before)) {
      if (await this.hasLiveJob(this.scrapingQueue, groupedJobId(request.id, request.userId)))
        continue;
      await enqueue(
        this.scrapingQueue,
        { taskId: request.id, userId: request.userId, osNumber: request.osNumber },
        { jobId: request.id },
      );
      report.requests_requeued += 1;
    }
    return report;
  }

  /** A job that still waits, runs or is delayed; a finished or failed one is removed for the re-queue. */
  private async hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
    const job = await queue.getJob(jobId);
    if (!job) return false;
    if (LIVE_STATES.has(await job.getState())) return true;
    await job.remove().catch(() => undefined);
    return false;
  }

  /** Every OS left gets a recorded outcome (failed), so nothing accepted stays without one. */
  private async failForGood(batch: ScrapingBatch): Promise<void> {
    this.logger.error(
      `Batch ${batch.id} did not finish after ${batch.runs} runs: failing what is left`,
    );
    for (const item of await this.store.unfinishedItems(batch.id)) {
      const result: ScrapeResult = {
        osNumber: item.osNumber,
        outcome: 'failed',
        path: null,
        attempts: 0,
        durationMs: 0,
        errorCode: 'batch_failed',
        errorMessage: `the batch did not finish after ${batch.runs} runs`,
      };
      await this.writer.write(result, { userId: batch.userId, batchId: batch.id }, (manager) =>
        this.store.claimOutcome(manager, item, result),
      );
    }
    await this.store.fail(batch.id, `did not finish after ${batch.runs} runs`);
  }
}
