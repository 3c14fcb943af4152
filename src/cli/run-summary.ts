import type { ScrapePath } from './api-schema.js';
import type { BatchRun } from './batch-runner.js';
import { formatDuration, formatTable } from './format.js';

export interface RunTotals {
  batches: number;
  total: number;
  success: number;
  notFound: number;
  failed: number;
  cancelled: number;
  retries: number;
  paths: Record<ScrapePath, number>;
  wallTimeMs: number;
  osPerMinute: number;
}

/** The figures of a finished run, added up over its batches. */
export function totalsOf(run: BatchRun): RunTotals {
  const totals: RunTotals = {
    batches: run.outcomes.length,
    total: 0,
    success: 0,
    notFound: 0,
    failed: 0,
    cancelled: 0,
    retries: 0,
    paths: { http: 0, browser: 0, robust: 0 },
    wallTimeMs: run.wallTimeMs,
    osPerMinute: 0,
  };
  for (const { final } of run.outcomes) {
    totals.total += final.total;
    totals.success += final.succeeded;
    totals.notFound += final.not_found;
    totals.failed += final.failed;
    const result = final.result;
    if (!result) continue;
    totals.cancelled += result.cancelled;
    totals.retries += result.retries;
    for (const path of Object.keys(totals.paths) as ScrapePath[]) {
      totals.paths[path] += result.paths[path] ?? 0;
    }
  }
  const processed = totals.success + totals.notFound + totals.failed;
  totals.osPerMinute = run.wallTimeMs > 0 ? (processed / run.wallTimeMs) * 60_000 : 0;
  return totals;
}

/** One row per batch: name, task, status, outcomes, wall time. */
export function batchTable(run: BatchRun): string {
  return formatTable(
    ['batch', 'task_id', 'status', 'ok', 'not found', 'failed', 'time'],
    run.outcomes.map(({ plan, final }) => [
      plan.name,
      final.task_id,
      final.status,
      final.succeeded,
      final.not_found,
      final.failed,
      formatDuration(final.result?.wall_time_ms ?? 0),
    ]),
  );
}

export function pathsText(paths: Record<ScrapePath, number>): string {
  return `http ${paths.http} · browser ${paths.browser} · robust ${paths.robust}`;
}
