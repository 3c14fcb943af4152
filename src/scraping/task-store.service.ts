import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { affectedRows, updateReturning } from '../database/update-returning.js';
import { BacklogLock, lockUserBacklog } from '../database/user-backlog-lock.js';
import { ScrapingTask } from './entities/scraping-task.entity.js';
import { TaskItem } from './entities/task-item.entity.js';
import { FailureSnapshots, snapshotLink } from './snapshots/failure-snapshots.service.js';
import {
  emptyPaths,
  OPEN_STATES,
  toItemResult,
  type TaskFigures,
  type TaskKind,
} from './task-status.js';

export type { TaskKind };

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

/**
 * The lifecycle of every task, single OS and batch alike, in one pair of tables: a task row and
 * its items. A task is accepted (created, or discarded when it could not be queued), started,
 * its items taken a window at a time, counted while open, found again by recovery and watched
 * while running. An item's outcome is claimed by `ScrapeOutcomeWriter`, the one place an OS and
 * a task end.
 */
@Injectable()
export class TaskStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(ScrapingTask) private readonly tasks: Repository<ScrapingTask>,
    @InjectRepository(TaskItem) private readonly items: Repository<TaskItem>,
    private readonly failures: FailureSnapshots,
  ) {}

  /**
   * A queued task and its items, in one transaction. With `admit`, the user's open tasks of the
   * same kind are counted under a per-user lock held until commit, and `admit` throws to refuse.
   * A single OS scraped inline starts running at once.
   */
  create(task: NewTask, admit?: (open: number) => void): Promise<ScrapingTask> {
    return this.dataSource.transaction(async (manager) => {
      if (admit) {
        await lockUserBacklog(
          manager,
          task.kind === 'single' ? BacklogLock.SingleOs : BacklogLock.Batch,
          task.userId,
        );
        admit(await this.openOf(manager, task.kind, task.userId));
      }
      const inline = task.kind === 'single' && (task.inline ?? false);
      const startedAt = inline ? new Date() : null;
      const osNumbers = task.kind === 'single' ? [task.osNumber] : task.osNumbers;
      const saved = await manager.save(
        manager.create(ScrapingTask, {
          kind: task.kind,
          userId: task.userId,
          name: task.kind === 'batch' ? task.name : null,
          idempotencyKey: task.kind === 'batch' ? task.idempotencyKey : null,
          total: osNumbers.length,
          inline,
          state: inline ? 'running' : 'queued',
          startedAt,
          runs: inline ? 1 : 0,
        }),
      );
      await manager.insert(
        TaskItem,
        osNumbers.map((osNumber, position) => ({
          taskId: saved.id,
          osNumber,
          position,
          ...(inline ? { status: 'running' as const, startedAt } : {}),
        })),
      );
      return saved;
    });
  }

  /** Removes a task that could not be queued: it was never accepted (its items go with it). */
  async discard(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM scraping_tasks WHERE id = $1 AND state = 'queued'`, [
      id,
    ]);
  }

  /** A task of one kind by id (a batch's id is no single OS, and the other way round). */
  find(kind: TaskKind, id: string): Promise<ScrapingTask | null> {
    return this.tasks.findOneBy({ id, kind });
  }

  /**
   * Marks a task running; false when it is gone or already finished (a re-delivered job). The
   * run is counted, and the items a dead run left `running` go back to `pending`.
   */
  async start(kind: TaskKind, id: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const started = await affectedRows(
        manager,
        `UPDATE scraping_tasks
            SET state = 'running', started_at = COALESCE(started_at, now()), runs = runs + 1,
                updated_at = now()
          WHERE id = $1 AND kind = $2 AND state = ANY ($3)`,
        [id, kind, [...OPEN_STATES]],
      );
      if (started === 0) return false;
      await manager.query(
        `UPDATE scraping_task_items SET status = 'pending' WHERE task_id = $1 AND status = 'running'`,
        [id],
      );
      return true;
    });
  }

  /** Takes the next pending items of a task, in order, and marks them running. */
  async takePending(taskId: string, limit: number): Promise<TaskItem[]> {
    const rows = await updateReturning<{ id: string; os_number: string; position: number }>(
      this.dataSource,
      `UPDATE scraping_task_items SET status = 'running', started_at = now()
        WHERE id IN (SELECT id FROM scraping_task_items
                      WHERE task_id = $1 AND status = 'pending'
                      ORDER BY position LIMIT $2
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, os_number, position`,
      [taskId, limit],
    );
    return rows
      .sort((a, b) => a.position - b.position)
      .map((row) =>
        Object.assign(new TaskItem(), {
          id: row.id,
          taskId,
          osNumber: row.os_number,
          position: row.position,
        }),
      );
  }

  /** Puts an item back (its scrape was interrupted by shutdown). */
  async release(itemId: string): Promise<void> {
    await this.items.update({ id: itemId, status: 'running' }, { status: 'pending' });
  }

  itemsOf(taskId: string): Promise<TaskItem[]> {
    return this.items.find({ where: { taskId }, order: { position: 'ASC' } });
  }

  unfinishedItems(taskId: string): Promise<TaskItem[]> {
    return this.items.find({
      where: { taskId, status: In(['pending', 'running']) },
      order: { position: 'ASC' },
    });
  }

  /** The `result` figures of a finished task, from its row and its items. */
  async figures(task: ScrapingTask): Promise<TaskFigures> {
    const items = await this.itemsOf(task.id);
    const snapshots =
      task.kind === 'batch' && task.failed > 0
        ? await this.failures.idsForBatch(task.id)
        : new Map<string, string>();
    return {
      cancelled: task.cancelled,
      retries: task.retries,
      avgDurationMs: task.avgDurationMs ?? 0,
      p95DurationMs: task.p95DurationMs ?? 0,
      paths: {
        ...emptyPaths(),
        http: task.pathHttp,
        browser: task.pathBrowser,
        robust: task.pathRobust,
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

  /** A user's tasks of one kind still waiting or running (their backlog). */
  countOpen(kind: TaskKind, userId: string): Promise<number> {
    return this.openOf(this.dataSource.manager, kind, userId);
  }

  /**
   * Open tasks idle since before `before` (`updated_at` moves with each item): the candidates for
   * recovery when their job is gone. A task scraped inline has no job to lose.
   */
  async findOpen(before: Date, limit = 500): Promise<OpenTask[]> {
    const rows = await this.dataSource.query<
      Array<{ kind: TaskKind; id: string; user_id: string; os_number: string | null; runs: number }>
    >(
      `SELECT t.kind, t.id, t.user_id, t.runs,
              CASE WHEN t.kind = 'single'
                   THEN (SELECT i.os_number FROM scraping_task_items i WHERE i.task_id = t.id LIMIT 1)
              END AS os_number
         FROM scraping_tasks t
        WHERE t.state = ANY ($1) AND NOT t.inline AND t.updated_at < $2
        ORDER BY t.created_at LIMIT $3`,
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
         FROM scraping_task_items
        WHERE status = 'running' AND started_at < now() - $1::int * interval '1 second'
        ORDER BY started_at LIMIT 20`,
      [seconds],
    );
    return rows.map((row) => ({ os_number: row.os_number, seconds: Number(row.seconds) }));
  }

  private openOf(manager: EntityManager, kind: TaskKind, userId: string): Promise<number> {
    return manager.countBy(ScrapingTask, { userId, kind, state: In([...OPEN_STATES]) });
  }
}
