/**
 * The shapes of the service's answers, as documented in Swagger and /work/shared/API.md. Declared
 * here rather than imported from the server's DTOs so the CLI loads no server code at all.
 */

export type TaskStatusName = 'processing' | 'completed' | 'failed' | 'cancelled';
export type ItemOutcome = 'success' | 'not_found' | 'forbidden' | 'failed' | 'cancelled';
export type ScrapePath = 'http' | 'browser' | 'robust';

export interface AccessToken {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface TaskItemResult {
  os_number: string;
  outcome: ItemOutcome;
  error?: string;
  path?: ScrapePath;
  duration_ms: number;
  attempts?: number;
}

export interface TaskResult {
  total: number;
  succeeded: number;
  failed: number;
  not_found: number;
  cancelled: number;
  retries: number;
  avg_duration_ms: number;
  p95_duration_ms: number;
  wall_time_ms: number;
  paths: Record<ScrapePath, number>;
  items: TaskItemResult[];
}

export interface TaskStatus {
  task_id: string;
  batch_name: string | null;
  status: TaskStatusName;
  state: string;
  progress: number;
  message: string;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  not_found: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: TaskResult | null;
}

export interface BatchAccepted {
  task_id: string;
  status: TaskStatusName;
  state: string;
  total: number;
  batch_name: string;
  message: string;
}

export interface ScrapeAccepted {
  task_id: string;
  os_number: string;
  status: TaskStatusName;
  state: string;
  inline: boolean;
  message?: string;
  result?: TaskResult;
}

/** `event: progress` of a batch's event stream. */
export interface ProgressEventData {
  task_id?: string;
  state?: string;
  processed: number;
  total: number;
  progress: number;
  message: string;
}

/** `event: item` of a batch's event stream: one OS finished. */
export type ItemEventData = TaskItemResult & { task_id?: string };

/** One OS in `scraping-batch/{task_id}/results?format=json`. */
export interface ResultItem {
  os_number: string;
  outcome: ItemOutcome | 'pending';
  path: ScrapePath | null;
  attempts: number;
  duration_ms: number | null;
  error: string | null;
  data: Record<string, unknown> | null;
}

export interface ResultsJson {
  task_id: string;
  batch_name: string | null;
  state: string;
  items: ResultItem[];
}

/** Every error answer of the API. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  retry_after?: number;
}
