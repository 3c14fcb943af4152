import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import type { ScrapingJobData } from '../queues/job-payloads.js';
import { QueueName } from '../queues/queue-names.js';
import { queueConcurrency } from '../queues/queue-options.js';
import { registerProcessor } from '../queues/register-processor.js';
import { OsScraperService } from './os-scraper.service.js';
import { FailureSnapshots } from './snapshots/failure-snapshots.service.js';
import { ScrapeOutcomeWriter } from './scrape-outcome.writer.js';
import { TaskStore } from './task-store.service.js';

/** Consumes the `scraping` queue: one OS per job, its outcome recorded exactly once. */
@Injectable()
export class ScrapingProcessor implements OnModuleInit {
  private readonly logger = new Logger(ScrapingProcessor.name);

  constructor(
    @InjectQueue(QueueName.Scraping) private readonly queue: Queue<ScrapingJobData>,
    private readonly config: AppConfig,
    private readonly tasks: TaskStore,
    private readonly scraper: OsScraperService,
    private readonly snapshots: FailureSnapshots,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  onModuleInit(): void {
    registerProcessor(
      this.queue,
      queueConcurrency(QueueName.Scraping, this.config),
      (job) => this.process(job),
      this.shutdown,
    );
  }

  async process(job: Job<ScrapingJobData>): Promise<{ outcome: string } | { skipped: string }> {
    const { taskId, userId, osNumber } = job.data;
    // The request may be gone or finished (a job delivered twice, or recovered): check first.
    if (!(await this.tasks.start('single', taskId)))
      return { skipped: 'already finished or unknown' };
    const result = await this.snapshots.around({ userId }, () =>
      this.scraper.scrape(osNumber, { userId, signal: this.shutdown.signal }),
    );
    const recorded = await this.writer.write(result, { kind: 'single', taskId, userId });
    if (!recorded) this.logger.warn(`OS ${osNumber} of request ${taskId} was already recorded`);
    return { outcome: result.outcome };
  }
}
