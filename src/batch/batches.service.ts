import { InjectQueue } from '@nestjs/bull';
import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Queue } from 'bull';
import { QueryFailedError } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { assertBacklogBelowCap } from '../common/backlog-limit.js';
import { AppConfig } from '../config/app-config.js';
import { enqueue, isQueueReachable, QueueUnavailableError } from '../queues/enqueue.js';
import type { BatchJobData } from '../queues/job-payloads.js';
import { QueueName } from '../queues/queue-names.js';
import { isThrottled } from '../queues/throttled-job.js';
import { groupedJobId } from '../queues/queue-options.js';
import type { TaskStatusDto } from '../scraping/dto/task-status.dto.js';
import { OsNumberPolicy } from '../scraping/os-number.policy.js';
import { ScrapeOutcomeWriter } from '../scraping/scrape-outcome.writer.js';
import { TaskStore } from '../scraping/task-store.service.js';
import { statusOf, taskMessage, toTaskStatus, type TaskState } from '../scraping/task-status.js';
import { BatchStore, type Batch } from './batch-store.service.js';
import type { BatchAcceptedDto } from './dto/batch-accepted.dto.js';
import type { BatchListDto } from './dto/batch-list.dto.js';

const UNIQUE_VIOLATION = '23505';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** Batches for the API: accept (written, then queued), report, list, cancel, retry. */
@Injectable()
export class BatchesService {
  constructor(
    @InjectQueue(QueueName.Batch) private readonly queue: Queue<BatchJobData>,
    private readonly config: AppConfig,
    private readonly store: BatchStore,
    private readonly tasks: TaskStore,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly osNumbers: OsNumberPolicy,
  ) {}

  /**
   * Accepts a batch: the batch and its items are committed, then its job is queued with the batch
   * id as job id. The same `Idempotency-Key` returns the batch already accepted.
   */
  async submit(
    user: AuthenticatedUser,
    rawNumbers: string[],
    name: string | undefined,
    idempotencyKey?: string,
  ): Promise<BatchAcceptedDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException('Idempotency-Key must be 1-128 visible ASCII characters');
    }
    const osNumbers = this.validNumbers(rawNumbers);
    if (idempotencyKey) {
      const existing = await this.store.findByIdempotencyKey(user.id, idempotencyKey);
      if (existing) return accepted(existing);
    }
    if (!isQueueReachable(this.queue)) throw unavailable();
    let batch: Batch;
    try {
      // Counted and inserted under one per-user lock: parallel submissions cannot pass the cap.
      batch = (await this.tasks.create(
        {
          kind: 'batch',
          userId: user.id,
          name: name?.trim() || defaultName(osNumbers.length),
          osNumbers,
          idempotencyKey: idempotencyKey ?? null,
        },
        (open) =>
          assertBacklogBelowCap(
            open,
            this.config.BATCH_BACKLOG_CAP,
            this.config.RATE_LIMIT_BATCHES_PER_HOUR,
            'batches',
          ),
      )) as Batch;
    } catch (error) {
      // Two submissions with one key at the same moment: the first one wins, and the second
      // (which may find the backlog full only because of the first) returns it.
      const existing =
        idempotencyKey && (isUniqueViolation(error) || isTooManyRequests(error))
          ? await this.store.findByIdempotencyKey(user.id, idempotencyKey)
          : null;
      if (existing) return accepted(existing);
      throw error;
    }
    try {
      await enqueue(this.queue, { batchId: batch.id, userId: user.id }, { jobId: batch.id });
    } catch (error) {
      await this.tasks.discard(batch.id);
      if (error instanceof QueueUnavailableError) throw unavailable();
      throw error;
    }
    return accepted(batch);
  }

  async status(user: AuthenticatedUser, batchId: string): Promise<TaskStatusDto> {
    const batch = await this.visible(user, batchId);
    const finished = batch.finishedAt !== null;
    return toTaskStatus(
      { ...batch, state: await this.liveState(batch) },
      finished ? await this.tasks.figures(batch) : null,
    );
  }

  async list(
    user: AuthenticatedUser,
    state: TaskState | undefined,
    page: number,
    pageSize: number,
  ): Promise<BatchListDto> {
    // `throttled` is a queue condition, not a stored state: it lists among the queued ones.
    const states: TaskState[] | undefined =
      state === 'throttled' ? ['queued'] : state ? [state] : undefined;
    const [batches, total] = await this.store.list(user.id, states, page, pageSize);
    const items = await Promise.all(
      batches.map(async (batch) =>
        toTaskStatus({ ...batch, state: await this.liveState(batch) }, null),
      ),
    );
    return {
      items: state ? items.filter((item) => item.state === state) : items,
      total,
      page,
      page_size: pageSize,
    };
  }

  /** Cancels a batch: OS being read finish, the rest become `cancelled`. */
  async cancel(user: AuthenticatedUser, batchId: string): Promise<TaskStatusDto> {
    const batch = await this.visible(user, batchId);
    if (!(await this.store.cancel(batch.id))) {
      throw new ConflictException(`batch ${batchId} is already ${batch.state}`);
    }
    // A batch no worker holds is finished at once; a running one finishes its OS in flight.
    const job = isQueueReachable(this.queue)
      ? await this.queue.getJob(groupedJobId(batch.id, batch.userId)).catch(() => null)
      : null;
    if (!job || !(await job.isActive())) {
      await job?.remove().catch(() => undefined);
      await this.writer.close(batch.id);
    }
    return this.status(user, batchId);
  }

  /** A new batch of the OS that failed in this one. */
  async retryFailed(user: AuthenticatedUser, batchId: string): Promise<BatchAcceptedDto> {
    const batch = await this.visible(user, batchId);
    if (!batch.finishedAt) throw new ConflictException(`batch ${batchId} has not finished yet`);
    const failed = await this.store.failedNumbers(batch.id);
    if (failed.length === 0) throw new ConflictException(`batch ${batchId} has no failed OS`);
    return this.submit(user, failed, `${batch.name} (nova tentativa)`.slice(0, 200));
  }

  /** The batch when the caller may see it: its owner or an admin; anyone else gets 404. */
  async visible(user: AuthenticatedUser, batchId: string): Promise<Batch> {
    const batch = await this.store.find(batchId);
    if (!batch || (batch.userId !== user.id && user.role !== 'admin')) {
      throw new NotFoundException(`batch ${batchId} not found`);
    }
    return batch;
  }

  private validNumbers(raw: string[]): string[] {
    // Duplicates are merged, but a list far past the limit is refused before any work.
    const maxEntries = this.config.BATCH_MAX_SIZE * 10;
    if (raw.length > maxEntries)
      throw new BadRequestException(`os_numbers must contain no more than ${maxEntries} entries`);
    const unique: string[] = [];
    const seen = new Set<string>();
    const bad: string[] = [];
    raw.forEach((value, index) => {
      const trimmed = this.osNumbers.normalize(value);
      if (!this.osNumbers.isValid(trimmed)) bad.push(`os_numbers[${index}]`);
      else if (!seen.has(trimmed)) {
        seen.add(trimmed);
        unique.push(trimmed);
      }
    });
    if (bad.length > 0) {
      const shown =
        bad.slice(0, 5).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
      throw new BadRequestException(
        `${shown} must match the OS number pattern ${this.osNumbers.pattern}`,
      );
    }
    if (unique.length > this.config.BATCH_MAX_SIZE) {
      throw new BadRequestException(
        `os_numbers must contain no more than ${this.config.BATCH_MAX_SIZE} distinct OS numbers`,
      );
    }
    return unique;
  }

  /** `queued` shows as `throttled` while Bull's per-user limiter holds the job back. */
  private async liveState(batch: Batch): Promise<TaskState> {
    if (batch.state !== 'queued') return batch.state;
    return (await isThrottled(this.queue, batch.id, batch.userId)) ? 'throttled' : batch.state;
  }
}

function accepted(batch: Batch): BatchAcceptedDto {
  return {
    task_id: batch.id,
    status: statusOf(batch.state),
    state: batch.state,
    total: batch.total,
    batch_name: batch.name,
    message: taskMessage(batch.state, batch.processed, batch.total),
  };
}

function defaultName(count: number): string {
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `Lote ${stamp} (${count} OS)`;
}

function unavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({
    message: 'the batch queue (Redis) is unavailable: nothing was accepted, try again later',
    retry_after: 30,
  });
}

function isTooManyRequests(error: unknown): boolean {
  return error instanceof HttpException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
  );
}
