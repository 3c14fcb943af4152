import type { ScrapeOutcome, ScrapePath } from '../stats/scrape-outcome.js';
import type { TaskItemResultDto, TaskResultDto, TaskStatusDto } from './dto/task-status.dto.js';

/**
 * Fine-grained state of a scraping task (a single OS or a batch). `status` in the API folds
 * `queued`, `throttled` and `running` into `processing`, as the original clients expect.
 */
export const TASK_STATES = [
  'queued',
  'throttled',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export type TaskStatus = 'processing' | 'completed' | 'failed' | 'cancelled';

/** A single OS (one item) or a batch (up to `BATCH_MAX_SIZE` items): one model, two queues. */
export type TaskKind = 'single' | 'batch';

/** States a task can still move out of. */
export const OPEN_STATES: readonly TaskState[] = ['queued', 'throttled', 'running'];

/** An OS of a task: waiting, being read, or finished with an outcome (or cancelled). */
export type ItemStatus = 'pending' | 'running' | ScrapeOutcome | 'cancelled';

export function statusOf(state: TaskState): TaskStatus {
  return OPEN_STATES.includes(state) ? 'processing' : (state as TaskStatus);
}

/** The human sentence of a task's progress, in Portuguese like the original. */
export function taskMessage(state: TaskState, processed: number, total: number): string {
  switch (state) {
    case 'queued':
      return `Na fila: ${total} OS aguardando processamento`;
    case 'throttled':
      return `Aguardando limite de uso: ${total} OS na fila`;
    case 'running':
      return `${processed}/${total} OS processadas…`;
    case 'completed':
      return `Concluído: ${processed}/${total} OS processadas`;
    case 'failed':
      return `Falhou após ${processed}/${total} OS processadas`;
    case 'cancelled':
      return `Cancelado: ${processed}/${total} OS processadas`;
  }
}

export function taskProgress(processed: number, total: number): number {
  return total === 0 ? 100 : Math.round((processed / total) * 1000) / 10;
}

/** The counters and timestamps every task (single OS or batch) has; a batch row is one. */
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

/** The outcome fields of one finished OS, as every item of a task records them. */
export interface ItemOutcome {
  osNumber: string;
  path: ScrapePath | null;
  attempts: number;
  durationMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** One OS of `result.items` (also the SSE `item` event's data, with `task_id`). */
export function toItemResult(
  item: ItemOutcome,
  outcome: TaskItemResultDto['outcome'],
): TaskItemResultDto {
  return {
    os_number: item.osNumber,
    outcome,
    ...(item.errorCode ? { error: `${item.errorCode}: ${item.errorMessage ?? ''}`.trim() } : {}),
    ...(item.path ? { path: item.path } : {}),
    duration_ms: item.durationMs ?? 0,
    attempts: item.attempts,
  };
}

/** Builds the status answer of the original API (the seed's shape) from a task's snapshot. */
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
