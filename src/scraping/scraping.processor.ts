import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import type { ScrapingJobData } from '../queues/job-payloads.js';
import { QueueConsumer } from '../queues/queue-consumer.js';
import { QueueName } from '../queues/queue-names.js';
import { TaskStore } from './task-store.service.js';
import { ScrapeOutcomeWriter } from './scrape-outcome.writer.js';
import { TaskWorker } from './task-worker.service.js';

/** Consumes the `scraping` queue: a single-OS task, run by the task loop with a window of one. */
@Injectable()
export class ScrapingProcessor extends QueueConsumer<ScrapingJobData> {
  private readonly logger = new Logger(ScrapingProcessor.name);

  constructor(
    @InjectQueue(QueueName.Scraping) queue: Queue<ScrapingJobData>,
    config: AppConfig,
    private readonly tasks: TaskStore,
    private readonly worker: TaskWorker,
    private readonly writer: ScrapeOutcomeWriter,
    shutdown: ShutdownCoordinator,
  ) {
    super(queue, QueueName.Scraping, config, shutdown);
  }

  async process(job: Job<ScrapingJobData>): Promise<{ outcome: string } | { skipped: string }> {
    const { taskId, userId, osNumber } = job.data;
    // The task may be gone or finished (a job delivered twice, or recovered): check first.
    if (!(await this.tasks.start('single', taskId)))
      return { skipped: 'already finished or unknown' };
    let outcome = '';
    await this.worker.run({
      window: 1,
      take: async (free) =>
        (await this.tasks.takePending(taskId, free)).map((item) => ({
          osNumber: item.osNumber,
          ref: { kind: 'single', taskId, itemId: item.id, userId },
        })),
      release: (item) => this.tasks.release(item.ref.itemId),
      onOutcome: (_item, result, recorded) => {
        outcome = result.outcome;
        if (!recorded) this.logger.warn(`OS ${osNumber} of task ${taskId} was already recorded`);
        return Promise.resolve();
      },
    });
    // Its last outcome closed it; this closes one whose outcome an earlier run recorded.
    await this.writer.close(taskId);
    return { outcome };
  }
}
