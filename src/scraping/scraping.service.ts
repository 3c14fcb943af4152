import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { assertBacklogBelowCap } from '../common/backlog-limit.js';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import { enqueue, isQueueReachable, QueueUnavailableError } from '../queues/enqueue.js';
import type { ScrapingJobData } from '../queues/job-payloads.js';
import { JobPriority } from '../queues/job-priority.js';
import { QueueName } from '../queues/queue-names.js';
import { isThrottled } from '../queues/throttled-job.js';
import { LastOutcomeService } from '../stats/last-outcome.service.js';
import type { ScrapeAcceptedDto } from './dto/scrape-accepted.dto.js';
import type { StoredOrderDto } from './dto/stored-order.dto.js';
import type { TaskStatusDto } from './dto/task-status.dto.js';
import { OsNumberPolicy } from './os-number.policy.js';
import { OsScraperService } from './os-scraper.service.js';
import { FailureSnapshots } from './snapshots/failure-snapshots.service.js';
import { ScrapeOutcomeWriter } from './scrape-outcome.writer.js';
import { TaskStore } from './task-store.service.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';
import { toTaskStatus } from './task-status.js';

/** Single-OS scraping for the API: accept, queue (or scrape inline without Redis), report. */
@Injectable()
export class ScrapingService {
  constructor(
    @InjectQueue(QueueName.Scraping) private readonly queue: Queue<ScrapingJobData>,
    private readonly config: AppConfig,
    private readonly tasks: TaskStore,
    private readonly orders: ScrapedOrdersService,
    private readonly osNumbers: OsNumberPolicy,
    private readonly scraper: OsScraperService,
    private readonly snapshots: FailureSnapshots,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly shutdown: ShutdownCoordinator,
    private readonly lastOutcome: LastOutcomeService,
  ) {}

  /** Accepts one OS: durably queued (202), or scraped inline when Redis is down and allowed. */
  async submit(user: AuthenticatedUser, rawOsNumber: string): Promise<ScrapeAcceptedDto> {
    const osNumber = this.osNumbers.assertValid(rawOsNumber, 'os_number');
    if (!isQueueReachable(this.queue)) return this.withoutQueue(user, osNumber);
    // Counted and inserted under one per-user lock: parallel requests cannot pass the cap.
    const request = await this.tasks.create({ kind: 'single', userId: user.id, osNumber }, (open) =>
      assertBacklogBelowCap(
        open,
        this.config.SCRAPE_BACKLOG_CAP,
        this.config.RATE_LIMIT_OS_PER_HOUR,
        'OS',
      ),
    );
    try {
      await enqueue(
        this.queue,
        { taskId: request.id, userId: user.id, osNumber },
        { jobId: request.id, priority: JobPriority.User },
      );
    } catch (error) {
      await this.tasks.discard(request.id);
      if (error instanceof QueueUnavailableError) return this.withoutQueue(user, osNumber);
      throw error;
    }
    return {
      task_id: request.id,
      os_number: osNumber,
      status: 'processing',
      state: 'queued',
      inline: false,
    };
  }

  /** The status of a single-OS task; another user's task does not exist for the caller. */
  async status(user: AuthenticatedUser, taskId: string): Promise<TaskStatusDto> {
    const task = await this.tasks.find('single', taskId);
    if (!task || (task.userId !== user.id && user.role !== 'admin')) {
      throw new NotFoundException(`task ${taskId} not found`);
    }
    let state = task.state;
    if (state === 'queued' && (await isThrottled(this.queue, task.id, task.userId)))
      state = 'throttled';
    return toTaskStatus(
      { ...task, state },
      task.finishedAt ? await this.tasks.figures(task) : null,
    );
  }

  /** What is stored for an OS; with `refresh`, also queue a new read. */
  async stored(
    user: AuthenticatedUser,
    rawOsNumber: string,
    refresh: boolean,
  ): Promise<StoredOrderDto | ScrapeAcceptedDto> {
    const osNumber = this.osNumbers.assertValid(rawOsNumber, 'os_number');
    const order = await this.orders.findByNumber(osNumber);
    const task = refresh ? await this.submit(user, osNumber) : undefined;
    if (!order) {
      if (task) return task;
      const last = await this.lastOutcome.of(osNumber);
      if (last?.outcome === 'not_found') {
        // Read, and the ERP had no such OS: say so and when, not "never scraped".
        throw new NotFoundException({
          message: `OS ${osNumber} was not found on the target when last checked`,
          outcome: 'not_found',
          checked_at: last.checkedAt.toISOString(),
        });
      }
      throw new NotFoundException(`OS ${osNumber} has never been scraped`);
    }
    return {
      os_number: order.osNumber,
      data: order.data,
      version: order.version,
      last_path: order.lastPath,
      first_seen_at: order.firstSeenAt.toISOString(),
      last_scraped_at: order.lastScrapedAt.toISOString(),
      last_changed_at: order.lastChangedAt.toISOString(),
      age_seconds: Math.max(0, Math.round((Date.now() - order.lastScrapedAt.getTime()) / 1000)),
      ...(task ? { refresh_task_id: task.task_id } : {}),
    };
  }

  private async withoutQueue(
    user: AuthenticatedUser,
    osNumber: string,
  ): Promise<ScrapeAcceptedDto> {
    if (!this.config.SCRAPER_INLINE_FALLBACK) {
      throw new ServiceUnavailableException({
        message: 'the scraping queue (Redis) is unavailable: nothing was accepted, try again later',
        retry_after: 30,
      });
    }
    const task = await this.tasks.create({
      kind: 'single',
      userId: user.id,
      osNumber,
      inline: true,
    });
    const [item] = await this.tasks.itemsOf(task.id);
    const result = await this.snapshots.around({ userId: user.id }, () =>
      this.scraper.scrape(osNumber, { userId: user.id, signal: this.shutdown.signal }),
    );
    await this.writer.write(result, {
      kind: 'single',
      taskId: task.id,
      itemId: item!.id,
      userId: user.id,
    });
    const status = await this.status(user, task.id);
    return {
      task_id: task.id,
      os_number: osNumber,
      status: status.status,
      state: status.state,
      inline: true,
      message: 'Fila indisponível: OS processada diretamente pela API.',
      result: status.result ?? undefined,
    };
  }
}
