import { answer, ApiError, type ApiClient } from './api-client.js';
import type { ItemEventData, ProgressEventData, TaskStatus } from './api-schema.js';
import { readSse } from './sse-reader.js';

export interface BatchWatcher {
  /** The batch's processed count (from `progress` events or polling). */
  onProgress?(processed: number, total: number): void;
  /** One OS finished (from `item` events). */
  onItem?(item: ItemEventData): void;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** Poll interval when the event stream is unavailable. */
  pollMs?: number;
}

/**
 * Follows a batch to its end through its Server-Sent Events and answers its final status. When
 * the stream cannot be opened or ends early (a proxy cutting it, a restart of the API), it falls
 * back to polling the status, as the original frontend does.
 */
export async function followBatch(
  client: ApiClient,
  taskId: string,
  watcher: BatchWatcher,
  options: FollowOptions = {},
): Promise<TaskStatus> {
  try {
    const final = await streamBatch(client, taskId, watcher, options.signal);
    if (final) return final;
  } catch (error) {
    // Client errors (401, 403, 404) would repeat when polling: report them now.
    if (error instanceof ApiError && error.status < 500) throw error;
    if (options.signal?.aborted) throw error;
  }
  return pollBatch(client, taskId, watcher, options);
}

async function streamBatch(
  client: ApiClient,
  taskId: string,
  watcher: BatchWatcher,
  signal?: AbortSignal,
): Promise<TaskStatus | undefined> {
  const { response } = await client.api.GET(
    '/api/desenvolvimento/scraping-batch/{task_id}/events',
    {
      params: { path: { task_id: taskId } },
      headers: { Accept: 'text/event-stream' },
      parseAs: 'stream',
      signal,
    },
  );
  if (!response.body) return undefined;
  for await (const message of readSse(response.body)) {
    if (message.event === 'progress') {
      const data = JSON.parse(message.data) as ProgressEventData;
      watcher.onProgress?.(data.processed, data.total);
    } else if (message.event === 'item') {
      watcher.onItem?.(JSON.parse(message.data) as ItemEventData);
    } else if (message.event === 'final') {
      const status = JSON.parse(message.data) as TaskStatus;
      watcher.onProgress?.(status.processed, status.total);
      return status;
    }
  }
  return undefined;
}

async function pollBatch(
  client: ApiClient,
  taskId: string,
  watcher: BatchWatcher,
  options: FollowOptions,
): Promise<TaskStatus> {
  for (;;) {
    const status = answer(
      await client.api.GET('/api/desenvolvimento/scraping-batch-status/{task_id}', {
        params: { path: { task_id: taskId } },
        signal: options.signal,
      }),
    );
    watcher.onProgress?.(status.processed, status.total);
    if (status.status !== 'processing') return status;
    await sleep(options.pollMs ?? 1_000, options.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
