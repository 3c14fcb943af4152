import type { ScrapePath } from '../stats/scrape-outcome.js';
import type { TaskItemResultDto, TaskResultDto, TaskStatusDto } from './dto/task-status.dto.js';
import { taskMessage, taskProgress } from './task-message.js';
import { statusOf, type TaskState } from './task-state.js';

/** The counters and timestamps every task (single OS or batch) has. */
export interface TaskSnapshot {
  id: string;
  name: string | null;
  state: TaskState;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  notFound: number;
  forbidden: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Figures of a finished task, for `result`. */
export interface TaskFigures {
  cancelled: number;
  retries: number;
  avgDurationMs: number;
  p95DurationMs: number;
  paths: Record<ScrapePath, number>;
  items: TaskItemResultDto[];
}

/** Builds the status answer of the original API from a task's snapshot. */
export function toTaskStatus(task: TaskSnapshot, figures: TaskFigures | null): TaskStatusDto {
  const result: TaskResultDto | null = figures
    ? {
        total: task.total,
        succeeded: task.succeeded,
        failed: task.failed,
        not_found: task.notFound,
        forbidden: task.forbidden,
        cancelled: figures.cancelled,
        retries: figures.retries,
        avg_duration_ms: Math.round(figures.avgDurationMs),
        p95_duration_ms: Math.round(figures.p95DurationMs),
        wall_time_ms:
          task.startedAt && task.finishedAt
            ? task.finishedAt.getTime() - task.startedAt.getTime()
            : 0,
        paths: figures.paths,
        items: figures.items,
      }
    : null;
  return {
    task_id: task.id,
    batch_name: task.name,
    status: statusOf(task.state),
    state: task.state,
    progress: taskProgress(task.processed, task.total),
    message: taskMessage(task.state, task.processed, task.total),
    total: task.total,
    processed: task.processed,
    succeeded: task.succeeded,
    failed: task.failed,
    not_found: task.notFound,
    forbidden: task.forbidden,
    created_at: task.createdAt.toISOString(),
    started_at: task.startedAt?.toISOString() ?? null,
    finished_at: task.finishedAt?.toISOString() ?? null,
    result,
  };
}

export function emptyPaths(): Record<ScrapePath, number> {
  return { http: 0, browser: 0, robust: 0 };
}
