import type { TaskStatusDto } from './dto/task-status.dto.js';
import type { ScrapeRequest } from './entities/scrape-request.entity.js';
import { emptyPaths, toTaskStatus } from './task-status.mapper.js';

/** A single-OS request in the shape of a one-item task. */
export function toRequestStatus(request: ScrapeRequest): TaskStatusDto {
  const done = request.outcome !== null;
  const paths = emptyPaths();
  if (done && request.path) paths[request.path] += 1;
  return toTaskStatus(
    {
      id: request.id,
      name: null,
      state: request.state,
      total: 1,
      processed: done ? 1 : 0,
      succeeded: request.outcome === 'success' ? 1 : 0,
      failed: request.outcome === 'failed' ? 1 : 0,
      notFound: request.outcome === 'not_found' ? 1 : 0,
      forbidden: request.outcome === 'forbidden' ? 1 : 0,
      createdAt: request.createdAt,
      startedAt: request.startedAt,
      finishedAt: request.finishedAt,
    },
    done
      ? {
          cancelled: 0,
          retries: Math.max(0, request.attempts - 1),
          avgDurationMs: request.durationMs ?? 0,
          p95DurationMs: request.durationMs ?? 0,
          paths,
          items: [
            {
              os_number: request.osNumber,
              outcome: request.outcome!,
              ...(request.errorCode
                ? { error: `${request.errorCode}: ${request.errorMessage ?? ''}`.trim() }
                : {}),
              ...(request.path ? { path: request.path } : {}),
              duration_ms: request.durationMs ?? 0,
              attempts: request.attempts,
            },
          ],
        }
      : null,
  );
}
