import type { MaintenanceTask } from '../../queues/job-payloads.js';

/** When each task runs, and the slot a run belongs to (its job id makes the slot run once). */
export const MAINTENANCE_SCHEDULE: Record<MaintenanceTask, { cron: string; slotMinutes: number }> =
  {
    'evaluate-alerts': { cron: '0 * * * * *', slotMinutes: 1 },
    'refresh-figures': { cron: '15 * * * * *', slotMinutes: 1 },
    'recover-batches': { cron: '30 * * * * *', slotMinutes: 1 },
    'retire-sessions': { cron: '0 */10 * * * *', slotMinutes: 10 },
    'clean-jobs': { cron: '0 7 * * * *', slotMinutes: 60 },
    'rollup-usage': { cron: '0 13 * * * *', slotMinutes: 60 },
    'refresh-open-os': { cron: '45 */5 * * * *', slotMinutes: 5 },
  };

/** The slot of `at` for a task, e.g. `2026-11-28T12:00Z` for an hourly task. */
export function scheduleSlot(task: MaintenanceTask, at: Date): string {
  const slotMs = MAINTENANCE_SCHEDULE[task].slotMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / slotMs) * slotMs).toISOString().slice(0, 16) + 'Z';
}
