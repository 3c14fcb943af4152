import { answer, ApiError, type ApiClient } from '../../src/cli/api-client.js';
import type { components } from '../../clients/typescript/src/schema.js';
import { describeError } from '../../src/cli/cli-errors.js';
import { formatDuration, formatRows } from '../../src/cli/format.js';
import { pathsText, type RunTotals } from '../../src/cli/run-summary.js';
import type { TruthCheck } from './truth-check.js';

export interface SummaryInput {
  count: number;
  batchSize: number;
  layout: 'a' | 'b' | 'c';
  parallel: number;
  totals: RunTotals;
  targetLogins: number;
  truth: TruthCheck;
}

/** The run in one table: outcomes, speed, paths, retries, logins, and the check against the truth. */
export function summaryText(input: SummaryInput): string {
  const { totals, truth } = input;
  const lines = [
    `Summary: ${input.count} OS in ${totals.batches} batch${totals.batches === 1 ? '' : 'es'} of up to ${input.batchSize} ` +
      `(layout ${input.layout}, ${input.parallel} batches at a time)`,
    formatRows([
      ['success', totals.success],
      ['not found', totals.notFound],
      ['failed', totals.failed],
      ['wall time', formatDuration(totals.wallTimeMs)],
      ['OS per minute', Math.round(totals.osPerMinute)],
      ['paths taken', pathsText(totals.paths)],
      ['retries', totals.retries],
      ['logins to the ERP', input.targetLogins],
      ['checked vs truth', truth.checked],
      ['mismatches', truth.mismatches.length],
      ['lost', truth.lost.length],
    ]),
  ];
  for (const [title, list] of [
    ['Mismatches', truth.mismatches],
    ['Lost (accepted, no final outcome)', truth.lost],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`${title}:`, ...list.slice(0, 10).map((line) => `  ${line}`));
    if (list.length > 10) lines.push(`  … and ${list.length - 10} more`);
  }
  return lines.join('\n');
}

type Dashboard = components['schemas']['DashboardDto'];

/** The admin dashboard's headline figures; the demo goes on without them if they are missing. */
export async function dashboardText(admin: ApiClient): Promise<string> {
  let dashboard: Dashboard;
  try {
    dashboard = answer(
      await admin.api.GET('/api/admin/scraping/dashboard', { params: { query: { days: 1 } } }),
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return 'Dashboard: not available yet';
    return `Dashboard: not available (${describeError(error)})`;
  }
  const general = dashboard.dashboard_data?.estatisticas_gerais;
  if (!general) return 'Dashboard: answered without estatisticas_gerais';
  const rate =
    typeof general.success_rate === 'number' ? `${general.success_rate.toFixed(1)}%` : '-';
  const avg =
    typeof general.avg_processing_time === 'number'
      ? formatDuration(general.avg_processing_time * 1_000)
      : '-';
  return [
    'Dashboard (GET /api/admin/scraping/dashboard?days=1, estatisticas_gerais)',
    formatRows([
      ['total', general.total ?? '-'],
      ['sucessos', general.sucessos ?? '-'],
      ['falhas', general.falhas ?? '-'],
      ['success_rate', rate],
      ['avg_processing_time', avg],
    ]),
  ].join('\n');
}
