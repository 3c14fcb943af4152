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

/** States a task can still move out of. */
export const OPEN_STATES: readonly TaskState[] = ['queued', 'throttled', 'running'];

export function statusOf(state: TaskState): TaskStatus {
  return OPEN_STATES.includes(state) ? 'processing' : (state as TaskStatus);
}
