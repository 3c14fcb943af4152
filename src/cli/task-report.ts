import type { TaskItemResult, TaskStatus } from './api-schema.js';
import { formatDuration, formatRows } from './format.js';

/** One line for an OS outcome: `OS 1038: success via http in 412 ms (1 attempt)`. */
export function describeItem(item: TaskItemResult): string {
  const attempts = item.attempts ?? 1;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const time = formatDuration(item.duration_ms);
  switch (item.outcome) {
    case 'success':
      return `OS ${item.os_number}: success via ${item.path ?? '?'} in ${time} (${tries})`;
    case 'not_found':
      return `OS ${item.os_number}: not found in the ERP (${time}, ${tries})`;
    case 'forbidden':
      return `OS ${item.os_number}: exists, but the ERP account may not see it (${time})`;
    case 'failed':
      return `OS ${item.os_number}: failed: ${item.error ?? 'no details'} (${time}, ${tries})`;
    default:
      return `OS ${item.os_number}: ${item.outcome}`;
  }
}

/** The status of a batch or single-OS task, for a person. */
export function describeStatus(status: TaskStatus): string {
  const rows: Array<[string, string | number]> = [
    ['task', status.task_id],
    ...(status.batch_name ? [['name', status.batch_name] as [string, string]] : []),
    ['status', `${status.status} (state ${status.state})`],
    ['progress', `${status.progress}%: ${status.message}`],
    [
      'outcomes',
      `ok ${status.succeeded} · not found ${status.not_found} · failed ${status.failed} of ${status.total}`,
    ],
    ['created', status.created_at],
    ['started', status.started_at ?? '-'],
    ['finished', status.finished_at ?? '-'],
  ];
  const result = status.result;
  if (result) {
    rows.push(
      [
        'paths',
        `http ${result.paths.http} · browser ${result.paths.browser} · robust ${result.paths.robust}`,
      ],
      ['retries', result.retries],
      [
        'time',
        `avg ${formatDuration(result.avg_duration_ms)} · p95 ${formatDuration(result.p95_duration_ms)} · wall ${formatDuration(result.wall_time_ms)}`,
      ],
    );
  }
  const lines = [formatRows(rows, '')];
  const failed = result?.items.filter((item) => item.outcome === 'failed') ?? [];
  if (failed.length > 0) {
    lines.push('failed OS:');
    for (const item of failed.slice(0, 20)) lines.push(`  ${describeItem(item)}`);
    if (failed.length > 20) lines.push(`  … and ${failed.length - 20} more`);
  }
  if (result && result.items.length === 1) lines.push(describeItem(result.items[0]!));
  return lines.join('\n');
}
