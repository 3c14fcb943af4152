import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import { ShutdownInterruption } from '../lifecycle/shutdown-interruption.js';
import type { BatchJobData } from '../queues/job-payloads.js';
import { QueueName } from '../queues/queue-names.js';
import { queueConcurrency } from '../queues/queue-options.js';
import { registerProcessor } from '../queues/register-processor.js';
import { OsScraperService } from '../scraping/os-scraper.service.js';
import { FailureSnapshots } from '../scraping/snapshots/failure-snapshots.service.js';
import { ScrapeError } from '../scraping/scrape-errors.js';
import { ScrapeOutcomeWriter } from '../scraping/scrape-outcome.writer.js';
import { TaskStore } from '../scraping/task-store.service.js';
import { taskMessage, taskProgress, toItemResult, toTaskStatus } from '../scraping/task-status.js';
import { BatchEventsService } from './batch-events.service.js';
import { BatchStillOpenError } from './batch-still-open.error.js';
import { BatchStore } from './batch-store.service.js';
import type { BatchItem } from '../scraping/entities/batch-item.entity.js';
import type { ScrapingBatch } from '../scraping/entities/scraping-batch.entity.js';

/**
 * Consumes `scraping_batch`: works through a batch's pending items `BATCH_GROUP_SIZE` (5) at a
 * time, committing each OS as soon as it is known. A re-run (after a crash, a
 * stalled job or a recovery) picks up where the last one stopped.
 */
@Injectable()
export class BatchProcessor implements OnModuleInit {
  private readonly logger = new Logger(BatchProcessor.name);

  constructor(
    @InjectQueue(QueueName.Batch) private readonly queue: Queue<BatchJobData>,
    private readonly config: AppConfig,
    private readonly store: BatchStore,
    private readonly tasks: TaskStore,
    private readonly scraper: OsScraperService,
    private readonly snapshots: FailureSnapshots,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly events: BatchEventsService,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  onModuleInit(): void {
    registerProcessor(
      this.queue,
      queueConcurrency(QueueName.Batch, this.config),
      (job) => this.process(job),
      this.shutdown,
    );
  }

  async process(job: Job<BatchJobData>): Promise<{ state: string } | { skipped: string }> {
    const { batchId } = job.data;
    if (!(await this.tasks.start('batch', batchId)))
      return { skipped: 'batch finished, cancelled or unknown' };
    const inFlight = new Set<Promise<void>>();
    let interrupted = false;
    let failure: unknown;
    // A window of BATCH_GROUP_SIZE OS in flight: a new one starts as soon as one ends, so one slow
    // OS never holds the other four back.
    for (;;) {
      const stop =
        this.shutdown.isDraining ||
        interrupted ||
        failure !== undefined ||
        (await this.store.isCancelled(batchId));
      const free = stop ? 0 : this.config.BATCH_GROUP_SIZE - inFlight.size;
      const items = free > 0 ? await this.store.takePending(batchId, free) : [];
      for (const item of items) {
        const running: Promise<void> = this.processItem(job, item)
          .then((wasInterrupted) => {
            if (wasInterrupted) interrupted = true;
          })
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
      await this.reportProgress(job, batchId);
    }
    if (failure !== undefined) throw failure;
    if (interrupted || this.shutdown.isDraining) throw new ShutdownInterruption();
    await this.writer.closeBatch(batchId);
    const finished = await this.store.find(batchId);
    if (!finished) return { skipped: 'batch vanished' };
    if (!finished.finishedAt) throw new BatchStillOpenError(batchId);
    await this.events.publish(batchId, {
      type: 'final',
      data: toTaskStatus(finished, await this.store.figures(finished)),
    });
    this.logger.log(
      `Batch ${batchId} ${finished.state}: ${finished.succeeded} ok, ${finished.notFound} not found, ${finished.failed} failed`,
    );
    return { state: finished.state };
  }

  private async reportProgress(job: Job<BatchJobData>, batchId: string): Promise<void> {
    const batch = await this.store.find(batchId);
    if (!batch) return;
    await job.progress(taskProgress(batch.processed, batch.total)).catch(() => undefined);
    await this.publishProgress(batch);
  }

  /** Scrapes and records one OS; true when shutdown interrupted it (the item goes back to pending). */
  private async processItem(job: Job<BatchJobData>, item: BatchItem): Promise<boolean> {
    const { userId, batchId } = job.data;
    let result;
    try {
      result = await this.snapshots.around({ userId, batchId }, () =>
        this.scraper.scrape(item.osNumber, { userId, batchId, signal: this.shutdown.signal }),
      );
    } catch (error) {
      await this.store.release(item);
      if (error instanceof ScrapeError && error.code === 'cancelled') return true;
      throw error;
    }
    const recorded = await this.writer.write(result, {
      kind: 'batch',
      taskId: batchId,
      itemId: item.id,
      userId,
    });
    if (recorded) {
      await this.events.publish(batchId, {
        type: 'item',
        data: {
          task_id: batchId,
          ...toItemResult(
            {
              ...result,
              errorCode: result.errorCode ?? null,
              errorMessage: result.errorMessage ?? null,
            },
            result.outcome,
          ),
        },
      });
    }
    return false;
  }

  private async publishProgress(batch: ScrapingBatch): Promise<void> {
    await this.events.publish(batch.id, {
      type: 'progress',
      data: {
        task_id: batch.id,
        state: batch.state,
        processed: batch.processed,
        total: batch.total,
        progress: taskProgress(batch.processed, batch.total),
        message: taskMessage(batch.state, batch.processed, batch.total),
      },
    });
  }
}
