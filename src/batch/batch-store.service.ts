import { Injectable } from '@nestjs/common';
import { FailureSnapshots, snapshotLink } from '../scraping/snapshots/failure-snapshots.service.js';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import type { ScrapeResult } from '../scraping/scrape-result.js';
import {
  emptyPaths,
  OPEN_STATES,
  toItemResult,
  type TaskFigures,
  type TaskState,
} from '../scraping/task-status.js';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { updateReturning } from '../database/update-returning.js';
import { BacklogLock, lockUserBacklog } from '../database/user-backlog-lock.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';
import { BatchItem } from './entities/batch-item.entity.js';
import { ScrapingBatch } from './entities/scraping-batch.entity.js';

const PATH_COLUMN: Record<ScrapePath, string> = {
  http: 'path_http',
  browser: 'path_browser',
  robust: 'path_robust',
};

export interface NewBatch {
  userId: string;
  name: string;
  osNumbers: string[];
  idempotencyKey: string | null;
}

/**
 * The batch tables: PostgreSQL is the source of truth for every batch, item and figure. Every
 * state change is conditional on the current state, so a job delivered twice cannot count twice.
 */
@Injectable()
export class BatchStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ScrapingBatch) private readonly batches: Repository<ScrapingBatch>,
    @InjectRepository(BatchItem) private readonly itemRows: Repository<BatchItem>,
    private readonly failures: FailureSnapshots,
  ) {}

  /**
   * The batch row and one row per OS, in one transaction. `admit` sees the user's open batches,
   * counted under a per-user lock held until commit, and throws to refuse the batch.
   */
  async create(batch: NewBatch, admit?: (openBatches: number) => void): Promise<ScrapingBatch> {
    return this.dataSource.transaction(async (manager) => {
      if (admit) {
        await lockUserBacklog(manager, BacklogLock.Batch, batch.userId);
        admit(
          await manager.countBy(ScrapingBatch, {
            userId: batch.userId,
            state: In([...OPEN_STATES]),
          }),
        );
      }
      const saved = await manager.save(
        manager.create(ScrapingBatch, {
          userId: batch.userId,
          name: batch.name,
          total: batch.osNumbers.length,
          idempotencyKey: batch.idempotencyKey,
        }),
      );
      await manager.insert(
        BatchItem,
        batch.osNumbers.map((osNumber, position) => ({ batchId: saved.id, osNumber, position })),
      );
      return saved;
    });
  }

  /** Removes a batch that could not be queued: it was never accepted. */
  async discard(id: string): Promise<void> {
    await this.batches.delete({ id, state: 'queued' });
  }

  find(id: string): Promise<ScrapingBatch | null> {
    return this.batches.findOneBy({ id });
  }

  findByIdempotencyKey(userId: string, key: string): Promise<ScrapingBatch | null> {
    return this.batches.findOneBy({ userId, idempotencyKey: key });
  }

  async list(
    userId: string,
    states: TaskState[] | undefined,
    page: number,
    pageSize: number,
  ): Promise<[ScrapingBatch[], number]> {
    return this.batches.findAndCount({
      where: { userId, ...(states ? { state: In(states) } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  countOpen(userId: string): Promise<number> {
    return this.batches.countBy({ userId, state: In([...OPEN_STATES]) });
  }

  /**
   * Starts (or resumes) a run: marks the batch running and puts items a dead run left `running`
   * back to `pending`. False when the batch is gone or already finished.
   */
  async startRun(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const started = await updateReturning(
        manager,
        `UPDATE scraping_batch_stats
            SET state = 'running', started_at = COALESCE(started_at, now()), runs = runs + 1, updated_at = now()
          WHERE id = $1 AND state IN ('queued', 'throttled', 'running')
          RETURNING id`,
        [id],
      );
      if (started.length === 0) return false;
      await manager.query(
        `UPDATE scraping_batch_items SET status = 'pending' WHERE batch_id = $1 AND status = 'running'`,
        [id],
      );
      return true;
    });
  }

  /** Takes the next pending items and marks them running. */
  async takePending(batchId: string, limit: number): Promise<BatchItem[]> {
    const rows = await updateReturning<{ id: string; os_number: string; position: number }>(
      this.dataSource,
      `UPDATE scraping_batch_items SET status = 'running', started_at = now()
        WHERE id IN (SELECT id FROM scraping_batch_items
                      WHERE batch_id = $1 AND status = 'pending'
                      ORDER BY position LIMIT $2
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, os_number, position`,
      [batchId, limit],
    );
    return rows
      .sort((a, b) => a.position - b.position)
      .map((row) =>
        Object.assign(new BatchItem(), {
          id: row.id,
          batchId,
          osNumber: row.os_number,
          position: row.position,
        }),
      );
  }

  /** Puts an item back (its scrape was interrupted by shutdown). */
  async release(item: BatchItem): Promise<void> {
    await this.itemRows.update({ id: item.id, status: 'running' }, { status: 'pending' });
  }

  /**
   * Records an item's outcome and moves the batch counters, inside the outcome writer's
   * transaction. False when the item was already finished or cancelled.
   */
  async claimOutcome(
    manager: EntityManager,
    item: BatchItem,
    result: ScrapeResult,
  ): Promise<boolean> {
    const claimed = await updateReturning(
      manager,
      `UPDATE scraping_batch_items
          SET status = $2, path = $3, attempts = $4, duration_ms = $5, error_code = $6, error_message = $7, finished_at = now()
        WHERE id = $1 AND status IN ('pending', 'running')
        RETURNING id`,
      [
        item.id,
        result.outcome,
        result.path,
        result.attempts,
        result.durationMs,
        result.errorCode ?? null,
        result.errorMessage ?? null,
      ],
    );
    if (claimed.length === 0) return false;
    const outcomeColumn = {
      success: 'succeeded',
      failed: 'failed',
      not_found: 'not_found',
      forbidden: 'forbidden',
    }[result.outcome];
    const pathColumn = result.path
      ? `, ${PATH_COLUMN[result.path]} = ${PATH_COLUMN[result.path]} + 1`
      : '';
    await manager.query(
      `UPDATE scraping_batch_stats
          SET processed = processed + 1, ${outcomeColumn} = ${outcomeColumn} + 1,
              retries = retries + $2, total_duration_ms = total_duration_ms + $3, updated_at = now()${pathColumn}
        WHERE id = $1`,
      [item.batchId, Math.max(0, result.attempts - 1), result.durationMs],
    );
    return true;
  }

  /** Closes a batch whose items are all done: final state and per-OS time figures. */
  async finish(id: string): Promise<ScrapingBatch | null> {
    await this.dataSource.transaction(async (manager) => {
      // Locked, so only the run that actually ends the batch writes its webhook event.
      const [before] = await manager.query<Array<{ finished_at: Date | null }>>(
        'SELECT finished_at FROM scraping_batch_stats WHERE id = $1 FOR UPDATE',
        [id],
      );
      const ended = await updateReturning<{ state: TaskState; user_id: string }>(
        manager,
        `UPDATE scraping_batch_stats b
          SET state = CASE WHEN b.state = 'cancelled' THEN 'cancelled' ELSE 'completed' END,
              finished_at = COALESCE(b.finished_at, now()),
              avg_duration_ms = f.avg_ms, p95_duration_ms = f.p95_ms, updated_at = now()
         FROM (SELECT round(avg(duration_ms))::int AS avg_ms,
                      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS p95_ms
                 FROM scraping_batch_items WHERE batch_id = $1 AND duration_ms IS NOT NULL) f
        WHERE b.id = $1
          AND NOT EXISTS (SELECT 1 FROM scraping_batch_items WHERE batch_id = $1 AND status IN ('pending', 'running'))
        RETURNING b.state, b.user_id`,
        [id],
      );
      const [batch] = ended;
      if (batch && before && before.finished_at === null && batch.state === 'completed')
        await recordWebhookEvent(manager, 'batch.completed', { task_id: id }, batch.user_id);
    });
    return this.find(id);
  }

  /** Cancels an open batch: waiting items become `cancelled`; items being read finish. */
  async cancel(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await updateReturning(
        manager,
        `UPDATE scraping_batch_stats SET state = 'cancelled', updated_at = now()
          WHERE id = $1 AND state IN ('queued', 'throttled', 'running') RETURNING id`,
        [id],
      );
      if (rows.length === 0) return false;
      await manager.query(
        `WITH cancelled AS (
           UPDATE scraping_batch_items SET status = 'cancelled', finished_at = now()
            WHERE batch_id = $1 AND status = 'pending' RETURNING 1)
         UPDATE scraping_batch_stats SET cancelled = cancelled + (SELECT count(*) FROM cancelled) WHERE id = $1`,
        [id],
      );
      return true;
    });
  }

  async isCancelled(id: string): Promise<boolean> {
    const batch = await this.batches.findOne({ where: { id }, select: { id: true, state: true } });
    return batch?.state === 'cancelled';
  }

  /** Marks a batch failed for good: its unfinished items fail too (recorded by the caller). */
  async fail(id: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const failed = await updateReturning<{ user_id: string }>(
        manager,
        `UPDATE scraping_batch_stats SET state = 'failed', error_message = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND state = ANY ($3) RETURNING user_id`,
        [id, message, [...OPEN_STATES]],
      );
      if (failed[0])
        await recordWebhookEvent(
          manager,
          'batch.failed',
          { task_id: id, error: message },
          failed[0].user_id,
        );
    });
  }

  itemsOf(batchId: string): Promise<BatchItem[]> {
    return this.itemRows.find({ where: { batchId }, order: { position: 'ASC' } });
  }

  unfinishedItems(batchId: string): Promise<BatchItem[]> {
    return this.itemRows.find({
      where: { batchId, status: In(['pending', 'running']) },
      order: { position: 'ASC' },
    });
  }

  async failedNumbers(batchId: string): Promise<string[]> {
    const rows = await this.itemRows.find({
      where: { batchId, status: 'failed' },
      order: { position: 'ASC' },
      select: { osNumber: true },
    });
    return rows.map((row) => row.osNumber);
  }

  /** Open batches created before `before`: candidates for recovery when their job is gone. */
  findOpen(before: Date, limit = 500): Promise<ScrapingBatch[]> {
    return this.batches
      .createQueryBuilder('b')
      .where('b.state IN (:...open)', { open: OPEN_STATES })
      .andWhere('b.updated_at < :before', { before })
      .orderBy('b.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Items being read for longer than `seconds` (for the slow-OS alert). */
  async runningLongerThan(seconds: number): Promise<Array<{ os_number: string; seconds: number }>> {
    const rows = await this.dataSource.query<Array<{ os_number: string; seconds: number }>>(
      `SELECT os_number, extract(epoch FROM now() - started_at)::float8 AS seconds FROM scraping_batch_items
        WHERE status = 'running' AND started_at < now() - $1::int * interval '1 second'
        ORDER BY started_at LIMIT 20`,
      [seconds],
    );
    return rows.map((row) => ({ os_number: row.os_number, seconds: Number(row.seconds) }));
  }

  /** Batches per user started in the window (for the ranking). */
  async countPerUserSince(since: Date, userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ user_id: string; n: string }>>(
      `SELECT user_id, count(*) AS n FROM scraping_batch_stats WHERE created_at >= $1 AND user_id = ANY($2) GROUP BY user_id`,
      [since, userIds],
    );
    return new Map(rows.map((row) => [row.user_id, Number(row.n)]));
  }

  /** A user's latest batches. */
  recent(userId: string, limit: number): Promise<ScrapingBatch[]> {
    return this.batches.find({ where: { userId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** The `result` figures of a batch, from its items. */
  async figures(batch: ScrapingBatch): Promise<TaskFigures> {
    const items = await this.itemsOf(batch.id);
    const snapshots = batch.failed > 0 ? await this.failures.idsForBatch(batch.id) : new Map();
    return {
      cancelled: batch.cancelled,
      retries: batch.retries,
      avgDurationMs: batch.avgDurationMs ?? 0,
      p95DurationMs: batch.p95DurationMs ?? 0,
      paths: {
        ...emptyPaths(),
        http: batch.pathHttp,
        browser: batch.pathBrowser,
        robust: batch.pathRobust,
      },
      items: items.map((item) => ({
        ...toItemResult(
          item,
          item.status === 'pending' || item.status === 'running' ? 'cancelled' : item.status,
        ),
        ...(snapshots.has(item.osNumber)
          ? { snapshot: snapshotLink(snapshots.get(item.osNumber)!) }
          : {}),
      })),
    };
  }
}
