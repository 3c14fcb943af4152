import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import type { TaskState } from '../scraping/task-status.js';
import { updateReturning } from '../database/update-returning.js';
import { TaskItem } from '../scraping/entities/task-item.entity.js';
import { ScrapingTask } from '../scraping/entities/scraping-task.entity.js';

/** A task of kind `batch`: it always has a name (`ck_tasks_batch_name`). */
export type Batch = ScrapingTask & { kind: 'batch'; name: string };

function isBatch(task: ScrapingTask): task is Batch {
  return task.kind === 'batch' && task.name !== null;
}

/** A row read with `kind = 'batch'` (the table's check keeps its name set). */
function asBatch(task: ScrapingTask): Batch {
  if (!isBatch(task)) throw new Error(`task ${task.id} is not a batch`);
  return task;
}

const asBatchOrNull = (task: ScrapingTask | null): Batch | null => task && asBatch(task);

/**
 * What only a batch has: lookup by idempotency key, its listing, cancelling and the numbers that
 * failed. The lifecycle it shares with a single OS is `TaskStore`'s; its outcomes are the
 * writer's. Every state change is conditional on the current state, so a job delivered twice
 * cannot count twice.
 */
@Injectable()
export class BatchStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ScrapingTask) private readonly batches: Repository<ScrapingTask>,
    @InjectRepository(TaskItem) private readonly itemRows: Repository<TaskItem>,
  ) {}

  async find(id: string): Promise<Batch | null> {
    return asBatchOrNull(await this.batches.findOneBy({ id, kind: 'batch' }));
  }

  async findByIdempotencyKey(userId: string, key: string): Promise<Batch | null> {
    return asBatchOrNull(
      await this.batches.findOneBy({ userId, kind: 'batch', idempotencyKey: key }),
    );
  }

  async list(
    userId: string,
    states: TaskState[] | undefined,
    page: number,
    pageSize: number,
  ): Promise<[Batch[], number]> {
    const [tasks, total] = await this.batches.findAndCount({
      where: { userId, kind: 'batch', ...(states ? { state: In(states) } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return [tasks.map(asBatch), total];
  }

  /** Cancels an open batch: waiting items become `cancelled`; items being read finish. */
  async cancel(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await updateReturning(
        manager,
        `UPDATE scraping_tasks SET state = 'cancelled', updated_at = now()
          WHERE id = $1 AND kind = 'batch' AND state IN ('queued', 'throttled', 'running') RETURNING id`,
        [id],
      );
      if (rows.length === 0) return false;
      await manager.query(
        `WITH cancelled AS (
           UPDATE scraping_task_items SET status = 'cancelled', finished_at = now()
            WHERE task_id = $1 AND status = 'pending' RETURNING 1)
         UPDATE scraping_tasks SET cancelled = cancelled + (SELECT count(*) FROM cancelled) WHERE id = $1`,
        [id],
      );
      return true;
    });
  }

  async isCancelled(id: string): Promise<boolean> {
    const batch = await this.batches.findOne({ where: { id }, select: { id: true, state: true } });
    return batch?.state === 'cancelled';
  }

  async failedNumbers(batchId: string): Promise<string[]> {
    const rows = await this.itemRows.find({
      where: { taskId: batchId, status: 'failed' },
      order: { position: 'ASC' },
      select: { osNumber: true },
    });
    return rows.map((row) => row.osNumber);
  }

  /** Batches per user started in the window (for the ranking). */
  async countPerUserSince(since: Date, userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ user_id: string; n: string }>>(
      `SELECT user_id, count(*) AS n FROM scraping_tasks WHERE kind = 'batch' AND created_at >= $1 AND user_id = ANY($2) GROUP BY user_id`,
      [since, userIds],
    );
    return new Map(rows.map((row) => [row.user_id, Number(row.n)]));
  }

  /** A user's latest batches. */
  async recent(userId: string, limit: number): Promise<Batch[]> {
    const tasks = await this.batches.find({
      where: { userId, kind: 'batch' },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return tasks.map(asBatch);
  }
}
