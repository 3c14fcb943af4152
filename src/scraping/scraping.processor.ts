import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import type { ScrapingJobData } from '../queues/job-payloads.js';
import { QueueConsumer } from '../queues/queue-consumer.js';
import { QueueName } from '../queues/queue-names.js';
import { TaskStore } from './task-store.service.js';
import { TaskWorker, type WorkItem } from './task-worker.service.js';

/** Consumes the `scraping` queue: a single-OS task, run by the task loop with a window of one. */
@Injectable()
export class ScrapingProcessor extends QueueConsumer<ScrapingJobData> {
  private readonly logger = new Logger(ScrapingProcessor.name);

  constructor(
    @InjectQueue(QueueName.Scraping) queue: Queue<ScrapingJobData>,
    config: AppConfig,
    private readonly tasks: TaskStore,
    private readonly worker: TaskWorker,
    shutdown: ShutdownCoordinator,
  ) {
    super(queue, QueueName.Scraping, config, shutdown);
  }

  async process(job: Job<ScrapingJobData>): Promise<{ outcome: string } | { skipped: string }> {
    const { taskId, userId, osNumber } = job.data;
    // The request may be gone or finished (a job delivered twice, or recovered): check first.
    if (!(await this.tasks.start('single', taskId)))
      return { skipped: 'already finished or unknown' };
    const items: WorkItem[] = [{ osNumber, ref: { kind: 'single', taskId, userId } }];
    let outcome = '';
    await this.worker.run({
      window: 1,
      take: () => Promise.resolve(items.splice(0)),
      onOutcome: (_item, result, recorded) => {
        outcome = result.outcome;
        if (!recorded) this.logger.warn(`OS ${osNumber} of request ${taskId} was already recorded`);
        return Promise.resolve();
      },
    });
    return { outcome };
  }
}
