import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { UsageRecorder } from '../stats/usage-recorder.service.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';
import { ScrapeMetrics } from './scrape-metrics.service.js';
import type { ScrapeResult } from './scrape-result.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';
import { OPEN_STATES, type TaskState } from './task-status.js';

/** The item an outcome belongs to: a single-OS task is its own item; a batch item has a row. */
export type TaskItemRef =
  | { kind: 'single'; taskId: string; userId: string }
  | { kind: 'batch'; taskId: string; itemId: string; userId: string };

/** The batch counter each outcome moves. */
const OUTCOME_COUNTER = {
  success: 'succeeded',
  failed: 'failed',
  not_found: 'not_found',
  forbidden: 'forbidden',
} as const;

const PATH_COUNTER: Record<ScrapePath, string> = {
  http: 'path_http',
  browser: 'path_browser',
  robust: 'path_robust',
};

class AlreadyRecorded extends Error {}

/**
 * Where an OS ends with one outcome, and where a task ends. One transaction claims the item
 * (only while it is still open, so an OS scraped twice, say by a stalled job run again, is
 * recorded once), moves the task's counters, stores the data, writes the usage row and the
 * webhook outbox rows. A single-OS task ends with its item; a batch ends in `closeBatch` or
 * `failBatch`, which write the batch's webhook events.
 */
@Injectable()
export class ScrapeOutcomeWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: ScrapedOrdersService,
    private readonly usage: UsageRecorder,
    private readonly metrics: ScrapeMetrics,
  ) {}

  /** Returns false when the outcome had already been recorded (nothing was written). */
  async write(result: ScrapeResult, item: TaskItemRef): Promise<boolean> {
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.claim(manager, item, result))) throw new AlreadyRecorded();
        if (result.outcome === 'success' && result.data && result.path) {
          const stored = await this.orders.upsert(
            manager,
            result.osNumber,
            result.data,
            result.path,
          );
          // A first read is no change; a later read with other content is.
          if (stored.changed && stored.version > 1)
            await recordWebhookEvent(
              manager,
              'os.changed',
              { os_number: result.osNumber, version: stored.version },
              null,
            );
        }
        await this.usage.record(manager, {
          userId: item.userId,
          osNumber: result.osNumber,
          batchId: item.kind === 'batch' ? item.taskId : null,
          outcome: result.outcome,
          path: result.path,
          attempts: result.attempts,
          durationMs: result.durationMs,
          errorCode: result.errorCode ?? null,
          errorMessage: result.errorMessage ?? null,
        });
      });
      this.metrics.record(result);
      return true;
    } catch (error) {
      if (error instanceof AlreadyRecorded) return false;
      throw error;
    }
  }

  /** Closes a batch whose items are all done: final state and per-OS time figures. */
  async closeBatch(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Locked, so only the run that actually ends the batch writes its webhook event.
      const [before] = await manager.query<Array<{ finished_at: Date | null }>>(
        'SELECT finished_at FROM scraping_batch_stats WHERE id = $1 FOR UPDATE',
        [id],
      );
      const [batch] = await updateReturning<{ state: TaskState; user_id: string }>(
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
      if (batch && before && before.finished_at === null && batch.state === 'completed')
        await recordWebhookEvent(manager, 'batch.completed', { task_id: id }, batch.user_id);
    });
  }

  /** Marks a batch failed for good (its unfinished items were recorded as failed first). */
  async failBatch(id: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [failed] = await updateReturning<{ user_id: string }>(
        manager,
        `UPDATE scraping_batch_stats SET state = 'failed', error_message = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND state = ANY ($3) RETURNING user_id`,
        [id, message, [...OPEN_STATES]],
      );
      if (failed)
        await recordWebhookEvent(
          manager,
          'batch.failed',
          { task_id: id, error: message },
          failed.user_id,
        );
    });
  }

  /** Marks the item final, only if it is still open; a batch's counters move with it. */
  private async claim(
    manager: EntityManager,
    item: TaskItemRef,
    result: ScrapeResult,
  ): Promise<boolean> {
    const fields = [
      result.path,
      result.attempts,
      result.durationMs,
      result.errorCode ?? null,
      result.errorMessage ?? null,
    ];
    if (item.kind === 'single') {
      const claimed = await updateReturning(
        manager,
        `UPDATE scrape_requests
            SET state = $2, outcome = $3, path = $4, attempts = $5, duration_ms = $6, error_code = $7,
                error_message = $8, finished_at = now()
          WHERE id = $1 AND state = ANY ($9)
          RETURNING id`,
        [
          item.taskId,
          result.outcome === 'failed' ? 'failed' : 'completed',
          result.outcome,
          ...fields,
          [...OPEN_STATES],
        ],
      );
      return claimed.length > 0;
    }
    const claimed = await updateReturning(
      manager,
      `UPDATE scraping_batch_items
          SET status = $2, path = $3, attempts = $4, duration_ms = $5, error_code = $6, error_message = $7,
              finished_at = now()
        WHERE id = $1 AND status IN ('pending', 'running')
        RETURNING id`,
      [item.itemId, result.outcome, ...fields],
    );
    if (claimed.length === 0) return false;
    const outcome = OUTCOME_COUNTER[result.outcome];
    const path = result.path
      ? `, ${PATH_COUNTER[result.path]} = ${PATH_COUNTER[result.path]} + 1`
      : '';
    await manager.query(
      `UPDATE scraping_batch_stats
          SET processed = processed + 1, ${outcome} = ${outcome} + 1,
              retries = retries + $2, total_duration_ms = total_duration_ms + $3, updated_at = now()${path}
        WHERE id = $1`,
      [item.taskId, Math.max(0, result.attempts - 1), result.durationMs],
    );
    return true;
  }
}
