import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { updateReturning } from '../database/update-returning.js';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { UsageRecorder } from '../stats/usage-recorder.service.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';
import { ScrapeMetrics } from './scrape-metrics.service.js';
import type { ScrapeResult } from './scrape-result.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';
import { OPEN_STATES, type TaskKind, type TaskState } from './task-status.js';

/** The item an outcome belongs to, and its task. */
export interface TaskItemRef {
  kind: TaskKind;
  taskId: string;
  itemId: string;
  userId: string;
}

/** The task counter each outcome moves. */
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
 * webhook outbox rows, and closes the task when that was its last open item. A task also ends
 * in `close` (after a cancel, or by the worker once its loop is done) or `fail`.
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
        if (!(await this.recordIn(manager, result, item))) throw new AlreadyRecorded();
        // After the counters: their row lock orders the items of a task, so the last one sees
        // every other item done.
        await this.closeIn(manager, item.taskId);
      });
      this.metrics.record(result);
      return true;
    } catch (error) {
      if (error instanceof AlreadyRecorded) return false;
      throw error;
    }
  }

  /**
   * Fails a task for good, in one transaction: each of `outcomes` (the task's unfinished items,
   * failed) is recorded as `write` records it, then the task is marked failed. Its last item
   * does not close it as completed, and a crash leaves either all of it or none.
   */
  async fail(
    id: string,
    message: string,
    outcomes: Array<{ result: ScrapeResult; item: TaskItemRef }> = [],
  ): Promise<void> {
    const recorded: ScrapeResult[] = [];
    await this.dataSource.transaction(async (manager) => {
      for (const { result, item } of outcomes)
        if (await this.recordIn(manager, result, item)) recorded.push(result);
      const [failed] = await updateReturning<{ kind: TaskKind; user_id: string }>(
        manager,
        `UPDATE scraping_tasks SET state = 'failed', error_message = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND state = ANY ($3) RETURNING kind, user_id`,
        [id, message, [...OPEN_STATES]],
      );
      if (failed?.kind === 'batch')
        await recordWebhookEvent(
          manager,
          'batch.failed',
          { task_id: id, error: message },
          failed.user_id,
        );
    });
    for (const result of recorded) this.metrics.record(result);
  }

  /** The outcome's rows (item, counters, data, usage, webhook); false when already recorded. */
  private async recordIn(
    manager: EntityManager,
    result: ScrapeResult,
    item: TaskItemRef,
  ): Promise<boolean> {
    if (!(await this.claim(manager, item, result))) return false;
    if (result.outcome === 'success' && result.data && result.path) {
      const stored = await this.orders.upsert(manager, result.osNumber, result.data, result.path);
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
    return true;
  }

  /** Closes a task whose items are all done (nothing happens while one is open). */
  async close(id: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.closeIn(manager, id));
  }

  /**
   * The end of a task: its final state and per-OS time figures, once no item is open. A single
   * OS ends `failed` when its OS failed; a batch ends `completed` (its items say what failed),
   * or stays `cancelled`. Only the close that ends a batch writes its webhook event.
   */
  private async closeIn(manager: EntityManager, id: string): Promise<void> {
    const [before] = await manager.query<Array<{ finished_at: Date | null }>>(
      'SELECT finished_at FROM scraping_tasks WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!before || before.finished_at !== null) return;
    const [task] = await updateReturning<{ kind: TaskKind; state: TaskState; user_id: string }>(
      manager,
      `UPDATE scraping_tasks t
          SET state = CASE WHEN t.state = 'cancelled' THEN 'cancelled'
                           WHEN t.kind = 'single' AND t.failed > 0 THEN 'failed'
                           ELSE 'completed' END,
              finished_at = now(),
              avg_duration_ms = f.avg_ms, p95_duration_ms = f.p95_ms, updated_at = now()
         FROM (SELECT round(avg(duration_ms))::int AS avg_ms,
                      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms))::int AS p95_ms
                 FROM scraping_task_items WHERE task_id = $1 AND duration_ms IS NOT NULL) f
        WHERE t.id = $1
          AND NOT EXISTS (SELECT 1 FROM scraping_task_items WHERE task_id = $1 AND status IN ('pending', 'running'))
        RETURNING t.kind, t.state, t.user_id`,
      [id],
    );
    if (task?.kind === 'batch' && task.state === 'completed')
      await recordWebhookEvent(manager, 'batch.completed', { task_id: id }, task.user_id);
  }

  /** Marks the item final, only if it is still open; its task's counters move with it. */
  private async claim(
    manager: EntityManager,
    item: TaskItemRef,
    result: ScrapeResult,
  ): Promise<boolean> {
    const claimed = await updateReturning(
      manager,
      `UPDATE scraping_task_items
          SET status = $2, path = $3, attempts = $4, duration_ms = $5, error_code = $6, error_message = $7,
              finished_at = now()
        WHERE id = $1 AND status IN ('pending', 'running')
        RETURNING id`,
      [
        item.itemId,
        result.outcome,
        result.path,
        result.attempts,
        result.durationMs,
        result.errorCode ?? null,
        result.errorMessage ?? null,
      ],
    );
    if (claimed.length === 0) return false;
    const outcome = OUTCOME_COUNTER[result.outcome];
    const path = result.path
      ? `, ${PATH_COUNTER[result.path]} = ${PATH_COUNTER[result.path]} + 1`
      : '';
    await manager.query(
      `UPDATE scraping_tasks
          SET processed = processed + 1, ${outcome} = ${outcome} + 1,
              retries = retries + $2, total_duration_ms = total_duration_ms + $3, updated_at = now()${path}
        WHERE id = $1`,
      [item.taskId, Math.max(0, result.attempts - 1), result.durationMs],
    );
    return true;
  }
}
