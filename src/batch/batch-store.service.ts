import { Injectable } from '@nestjs/common';
import { FailureSnapshots, snapshotLink } from '../scraping/snapshots/failure-snapshots.service.js';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import {
  emptyPaths,
  toItemResult,
  type TaskFigures,
  type TaskState,
} from '../scraping/task-status.js';
import { updateReturning } from '../database/update-returning.js';
import { BatchItem } from '../scraping/entities/batch-item.entity.js';
import { ScrapingBatch } from '../scraping/entities/scraping-batch.entity.js';

/**
 * What only a batch has: its items taken a window at a time, its listing, cancelling and figures.
 * The lifecycle it shares with a single OS is `TaskStore`'s; its outcomes are the writer's.
 * Every state change is conditional on the current state, so a job delivered twice cannot count
 * twice.
 */
@Injectable()
export class BatchStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ScrapingBatch) private readonly batches: Repository<ScrapingBatch>,
    @InjectRepository(BatchItem) private readonly itemRows: Repository<BatchItem>,
    private readonly failures: FailureSnapshots,
  ) {}

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
  async release(itemId: string): Promise<void> {
    await this.itemRows.update({ id: itemId, status: 'running' }, { status: 'pending' });
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
