import type { TaskStatusDto } from '../scraping/dto/task-status.dto.js';
import { toTaskStatus, type TaskFigures } from '../scraping/task-status.mapper.js';
import type { TaskState } from '../scraping/task-state.js';
import type { ScrapingBatch } from './entities/scraping-batch.entity.js';

/** A batch in the status shape of the original API (`result` once it has figures). */
export function toBatchStatus(
  batch: ScrapingBatch,
  figures: TaskFigures | null,
  state: TaskState = batch.state,
): TaskStatusDto {
  return toTaskStatus(
    {
      id: batch.id,
      name: batch.name,
      state,
      total: batch.total,
      processed: batch.processed,
      succeeded: batch.succeeded,
      failed: batch.failed,
      notFound: batch.notFound,
      forbidden: batch.forbidden,
      createdAt: batch.createdAt,
      startedAt: batch.startedAt,
      finishedAt: batch.finishedAt,
    },
    figures,
  );
}
