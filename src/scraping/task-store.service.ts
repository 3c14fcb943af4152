import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { affectedRows } from '../database/update-returning.js';
import { BacklogLock, lockUserBacklog } from '../database/user-backlog-lock.js';
import { BatchItem } from './entities/batch-item.entity.js';
import { ScrapeRequest } from './entities/scrape-request.entity.js';
import { ScrapingBatch } from './entities/scraping-batch.entity.js';
import { OPEN_STATES } from './task-status.js';

/** The two kinds of task: a single OS (one item, its own row) or a batch (a row and its items). */
export type TaskKind = 'single' | 'batch';

export type NewTask =
  | { kind: 'single'; userId: string; osNumber: string; inline?: boolean }
  | {
      kind: 'batch';
      userId: string;
      name: string;
      osNumbers: string[];
      idempotencyKey: string | null;
    };

/** An open task with no proof of life, as recovery sees it. */
export interface OpenTask {
  kind: TaskKind;
  id: string;
  userId: string;
  /** The OS of a single task (a batch's are its items). */
  osNumber: string | null;
  /** Times a worker started on it. */
  runs: number;
}

const TASK_TABLE: Record<TaskKind, string> = {
  single: 'scrape_requests',
  batch: 'scraping_batch_stats',
};

/**
 * The lifecycle of every task, single OS and batch alike: accepted (created, or discarded when it
 * could not be queued), started, counted while open, found again by recovery, watched while
 * running. An item's outcome is claimed by `ScrapeOutcomeWriter`, the one place a task ends.
 */
@Injectable()
export class TaskStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ScrapeRequest) private readonly requests: Repository<ScrapeRequest>,
  ) {}

  /**
   * A queued task and its items, in one transaction. With `admit`, the user's open tasks of the
   * same kind are counted under a per-user lock held until commit, and `admit` throws to refuse.
   */
  create(
    task: NewTask & { kind: 'single' },
    admit?: (open: number) => void,
  ): Promise<ScrapeRequest>;
  create(task: NewTask & { kind: 'batch' }, admit?: (open: number) => void): Promise<ScrapingBatch>;
  create(task: NewTask, admit?: (open: number) => void): Promise<ScrapeRequest | ScrapingBatch> {
    return this.dataSource.transaction(async (manager) => {
      if (admit) {
        await lockUserBacklog(
          manager,
          task.kind === 'single' ? BacklogLock.SingleOs : BacklogLock.Batch,
          task.userId,
        );
        admit(await this.openOf(manager, task.kind, task.userId));
      }
      if (task.kind === 'single') {
        const inline = task.inline ?? false;
        return manager.save(
          manager.create(ScrapeRequest, {
            userId: task.userId,
            osNumber: task.osNumber,
            inline,
            state: inline ? 'running' : 'queued',
            startedAt: inline ? new Date() : null,
          }),
        );
      }
      const saved = await manager.save(
        manager.create(ScrapingBatch, {
          userId: task.userId,
          name: task.name,
          total: task.osNumbers.length,
          idempotencyKey: task.idempotencyKey,
        }),
      );
      await manager.insert(
        BatchItem,
        task.osNumbers.map((osNumber, position) => ({ batchId: saved.id, osNumber, position })),
      );
      return saved;
    });
  }

  /** Removes a task that could not be queued: it was never accepted (its items go with it). */
  async discard(kind: TaskKind, id: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ${TASK_TABLE[kind]} WHERE id = $1 AND state = 'queued'`,
      [id],
    );
  }

  findSingle(id: string): Promise<ScrapeRequest | null> {
    return this.requests.findOneBy({ id });
  }

  /**
   * Marks a task running; false when it is gone or already finished (a re-delivered job). A batch
   * counts the run, and the items a dead run left `running` go back to `pending`.
   */
  async start(kind: TaskKind, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const started = await affectedRows(
        manager,
        `UPDATE ${TASK_TABLE[kind]}
            SET state = 'running', started_at = COALESCE(started_at, now())
                ${kind === 'batch' ? ', runs = runs + 1, updated_at = now()' : ''}
          WHERE id = $1 AND state = ANY ($2)`,
        [id, [...OPEN_STATES]],
      );
      if (started === 0) return false;
      if (kind === 'batch')
        await manager.query(
          `UPDATE scraping_batch_items SET status = 'pending' WHERE batch_id = $1 AND status = 'running'`,
          [id],
        );
      return true;
    });
  }

  /** A user's tasks of one kind still waiting or running (their backlog). */
  countOpen(kind: TaskKind, userId: string): Promise<number> {
    return this.openOf(this.dataSource.manager, kind, userId);
  }

  /**
   * Open tasks idle since before `before` (a batch's `updated_at` moves with each item): the
   * candidates for recovery when their job is gone. A task scraped inline has no job to lose.
   */
  async findOpen(before: Date, limit = 500): Promise<OpenTask[]> {
    const rows = await this.dataSource.query<
      Array<{ kind: TaskKind; id: string; user_id: string; os_number: string | null; runs: number }>
    >(
      `(SELECT 'batch' AS kind, id, user_id, NULL AS os_number, runs, created_at
          FROM scraping_batch_stats WHERE state = ANY ($1) AND updated_at < $2
         ORDER BY created_at LIMIT $3)
       UNION ALL
       (SELECT 'single', id, user_id, os_number, 0, created_at
          FROM scrape_requests WHERE state = ANY ($1) AND NOT inline AND created_at < $2
         ORDER BY created_at LIMIT $3)
       ORDER BY kind, created_at`,
      [[...OPEN_STATES], before, limit],
    );
    return rows.map((row) => ({
      kind: row.kind,
      id: row.id,
      userId: row.user_id,
      osNumber: row.os_number,
      runs: Number(row.runs),
    }));
  }

  /** Items (of any task) being read for longer than `seconds`, for the slow-OS alert. */
  async runningLongerThan(seconds: number): Promise<Array<{ os_number: string; seconds: number }>> {
    const rows = await this.dataSource.query<Array<{ os_number: string; seconds: number }>>(
      `SELECT os_number, extract(epoch FROM now() - started_at)::float8 AS seconds
         FROM (SELECT os_number, started_at FROM scraping_batch_items WHERE status = 'running'
               UNION ALL
               SELECT os_number, started_at FROM scrape_requests WHERE state = 'running') running
        WHERE started_at < now() - $1::int * interval '1 second'
        ORDER BY started_at LIMIT 20`,
      [seconds],
    );
    return rows.map((row) => ({ os_number: row.os_number, seconds: Number(row.seconds) }));
  }

  private openOf(manager: EntityManager, kind: TaskKind, userId: string): Promise<number> {
    const entity = kind === 'single' ? ScrapeRequest : ScrapingBatch;
    return manager.countBy(entity, { userId, state: In([...OPEN_STATES]) });
  }
}
