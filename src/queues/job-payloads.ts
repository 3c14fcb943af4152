/** One OS requested on its own (`POST /api/desenvolvimento/scraping`). */
export interface ScrapingJobData {
  taskId: string;
  userId: string;
  osNumber: string;
}

/** A batch whose items live in PostgreSQL; the job only says which batch to work on. */
export interface BatchJobData {
  batchId: string;
  userId: string;
}

export const MAINTENANCE_TASKS = [
  'clean-jobs',
  'rollup-usage',
  'recover-batches',
  'retire-sessions',
  'evaluate-alerts',
  'refresh-figures',
  'refresh-open-os',
] as const;

export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

/** A maintenance run; `period` makes the job id unique per schedule slot. */
export interface MaintenanceJobData {
  task: MaintenanceTask;
  period: string;
  requestedBy?: string;
}
