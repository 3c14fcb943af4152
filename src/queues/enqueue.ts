import type { JobOptions, Queue } from 'bull';
import { withTimeout } from '../common/with-timeout.js';

/** Bull's own Redis connection is up (its client would otherwise queue commands and wait). */
export function isQueueReachable(queue: Queue): boolean {
  return queue.client.status === 'ready';
}

/**
 * Adds a job, or throws `QueueUnavailableError` when Redis cannot take it promptly: a request is
 * accepted only once it is durably queued.
 */
export async function enqueue<T>(
  queue: Queue<T>,
  data: T,
  options: JobOptions,
  timeoutMs = 3_000,
): Promise<void> {
  if (!isQueueReachable(queue)) throw new QueueUnavailableError(queue.name);
  try {
    await withTimeout(queue.add(data, options), timeoutMs, 'queue add timed out');
  } catch (error) {
    throw new QueueUnavailableError(queue.name, (error as Error).message);
  }
}

export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';

  constructor(
    readonly queueName: string,
    detail?: string,
  ) {
    super(`the ${queueName} queue (Redis) is unavailable${detail ? `: ${detail}` : ''}`);
  }
}
