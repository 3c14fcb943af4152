import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import type { BatchJobData } from '../queues/job-payloads.js';
import { QueueConsumer } from '../queues/queue-consumer.js';
import { QueueName } from '../queues/queue-names.js';
import { ScrapeOutcomeWriter } from '../scraping/scrape-outcome.writer.js';
import { TaskStore } from '../scraping/task-store.service.js';
import { TaskWorker } from '../scraping/task-worker.service.js';
import { taskMessage, taskProgress, toItemResult, toTaskStatus } from '../scraping/task-status.js';
import type { ScrapeResult } from '../scraping/scrape-result.js';
import { BatchEventsService } from './batch-events.service.js';
import { BatchStillOpenError } from './batch-still-open.error.js';
import { BatchStore } from './batch-store.service.js';

/**
 * Consumes `scraping_batch`: runs a batch's pending items through the task loop with a window
 * of `BATCH_GROUP_SIZE` (5), committing each OS as soon as it is known, and publishes progress.
 * A re-run (after a crash, a stalled job or a recovery) picks up where the last one stopped.
 */
@Injectable()
export class BatchProcessor extends QueueConsumer<BatchJobData> {
  private readonly logger = new Logger(BatchProcessor.name);

  constructor(
    @InjectQueue(QueueName.Batch) queue: Queue<BatchJobData>,
    private readonly config: AppConfig,
    private readonly store: BatchStore,
    private readonly tasks: TaskStore,
    private readonly worker: TaskWorker,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly events: BatchEventsService,
    shutdown: ShutdownCoordinator,
  ) {
    super(queue, QueueName.Batch, config, shutdown);
  }

  async process(job: Job<BatchJobData>): Promise<{ state: string } | { skipped: string }> {
    const { batchId, userId } = job.data;
    if (!(await this.tasks.start('batch', batchId)))
      return { skipped: 'batch finished, cancelled or unknown' };
    await this.worker.run({
      window: this.config.BATCH_GROUP_SIZE,
      take: async (free) =>
        (await this.tasks.takePending(batchId, free)).map((item) => ({
          osNumber: item.osNumber,
          ref: { kind: 'batch', taskId: batchId, itemId: item.id, userId },
        })),
      cancelled: () => this.store.isCancelled(batchId),
      release: (item) => this.tasks.release(item.ref.itemId),
      onOutcome: (item, result, recorded) =>
        recorded ? this.publishItem(batchId, result) : Promise.resolve(),
      onSettled: () => this.reportProgress(job, batchId),
    });
    await this.writer.close(batchId);
    const finished = await this.store.find(batchId);
    if (!finished) return { skipped: 'batch vanished' };
    if (!finished.finishedAt) throw new BatchStillOpenError(batchId);
    await this.events.publish(batchId, {
      type: 'final',
      data: toTaskStatus(finished, await this.tasks.figures(finished)),
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

  private async publishItem(batchId: string, result: ScrapeResult): Promise<void> {
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
}
