import type { Queue } from 'bull';
import { isQueueReachable } from './enqueue.js';
import { groupedJobId } from './queue-options.js';

/**
 * Whether Bull's per-user limiter is holding a task's job back: a delayed job never tried yet.
 * Shown to users as the `throttled` state.
 */
export async function isThrottled(queue: Queue, taskId: string, userId: string): Promise<boolean> {
  if (!isQueueReachable(queue)) return false;
  const job = await queue.getJob(groupedJobId(taskId, userId)).catch(() => null);
  return Boolean(job && job.attemptsMade === 0 && (await job.isDelayed()));
}
