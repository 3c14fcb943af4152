import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueue, isQueueReachable } from '../queues/enqueue.js';
import type { BatchJobData, ScrapingJobData } from '../queues/job-payloads.js';
import { QueueName } from '../queues/queue-names.js';
import { groupedJobId } from '../queues/queue-options.js';
import { ScrapeOutcomeWriter } from '../scraping/scrape-outcome.writer.js';
import { TaskStore, type OpenTask } from '../scraping/task-store.service.js';
import type { ScrapeResult } from '../scraping/scrape-result.js';

const LIVE_STATES = new Set(['active', 'waiting', 'delayed', 'paused']);
/**
 * A task started this many times without finishing (an OS that crashes its worker each time, say)
 * is failed rather than queued again forever.
 */
const MAX_RUNS = 20;

export interface RecoveryReport {
  batches_requeued: number;
  batches_failed: number;
  requests_requeued: number;
  requests_failed: number;
}

/**
 * Recovers every task, single OS and batch alike: finds accepted work whose job is gone from
 * Redis (a flushed or restarted Redis, a job that failed for good) and queues it again;
 * PostgreSQL knows what is left to do. Run by maintenance.
 */
@Injectable()
export class TaskRecoveryService {
  private readonly logger = new Logger(TaskRecoveryService.name);

  constructor(
    @InjectQueue(QueueName.Batch) private readonly batchQueue: Queue<BatchJobData>,
    @InjectQueue(QueueName.Scraping) private readonly scrapingQueue: Queue<ScrapingJobData>,
    private readonly tasks: TaskStore,
    private readonly writer: ScrapeOutcomeWriter,
  ) {}

  /** Re-queues open tasks (batches and single OS) idle for `idleMs` that have no live job. */
  async recoverOrphans(idleMs = 60_000): Promise<RecoveryReport> {
    const report: RecoveryReport = {
      batches_requeued: 0,
      batches_failed: 0,
      requests_requeued: 0,
      requests_failed: 0,
    };
    if (!isQueueReachable(this.batchQueue)) return report;
    for (const task of await this.tasks.findOpen(new Date(Date.now() - idleMs))) {
      const queue = task.kind === 'batch' ? this.batchQueue : this.scrapingQueue;
      if (await this.hasLiveJob(queue, groupedJobId(task.id, task.userId))) continue;
      if (task.runs >= MAX_RUNS) {
        await this.failForGood(task);
        if (task.kind === 'batch') report.batches_failed += 1;
        else report.requests_failed += 1;
      } else if (task.kind === 'single') {
        await enqueue(
          this.scrapingQueue,
          { taskId: task.id, userId: task.userId, osNumber: task.osNumber! },
          { jobId: task.id },
        );
        report.requests_requeued += 1;
      } else {
        await enqueue(
          this.batchQueue,
          { batchId: task.id, userId: task.userId },
          { jobId: task.id },
        );
        report.batches_requeued += 1;
        this.logger.warn(`Batch ${task.id} had no live job: queued again`);
      }
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
  private async failForGood(task: OpenTask): Promise<void> {
    const what = task.kind === 'batch' ? 'batch' : 'single-OS task';
    this.logger.error(`The ${what} ${task.id} did not finish after ${task.runs} runs: failing it`);
    const outcomes = (await this.tasks.unfinishedItems(task.id)).map((item) => ({
      result: {
        osNumber: item.osNumber,
        outcome: 'failed',
        path: null,
        attempts: 0,
        durationMs: 0,
        errorCode: task.kind === 'batch' ? 'batch_failed' : 'task_failed',
        errorMessage: `the ${what} did not finish after ${task.runs} runs`,
      } satisfies ScrapeResult,
      item: { kind: task.kind, taskId: task.id, itemId: item.id, userId: task.userId },
    }));
    await this.writer.fail(task.id, `did not finish after ${task.runs} runs`, outcomes);
  }
}
