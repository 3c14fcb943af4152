import type { TestDatabase } from './test-database.js';

export interface UsageRow {
  userId: string;
  osNumber: string;
  outcome: 'success' | 'not_found' | 'failed';
  path: 'http' | 'browser' | 'robust' | null;
  attempts: number;
  durationMs: number;
  at: Date;
  batchId?: string | null;
}

/** Inserts usage rows as the outcome writer would, with chosen timestamps. */
export async function insertUsage(db: TestDatabase, rows: UsageRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const values = chunk.map(
      (_, i) =>
        `($${i * 8 + 1}, $${i * 8 + 2}, $${i * 8 + 3}, $${i * 8 + 4}, $${i * 8 + 5}, $${i * 8 + 6}, $${i * 8 + 7}, $${i * 8 + 8})`,
    );
    await db.query(
      `INSERT INTO scraping_usage_stats (user_id, os_number, outcome, path, attempts, duration_ms, created_at, batch_id) VALUES ${values.join(', ')}`,
      chunk.flatMap((row) => [
        row.userId,
        row.osNumber,
        row.outcome,
        row.path,
        row.attempts,
        row.durationMs,
        row.at,
        row.batchId ?? null,
      ]),
    );
  }
}

const TZ = 'America/Sao_Paulo';

/** Local date (YYYY-MM-DD) and hour of an instant in the stats time zone. */
export function local(at: Date): { day: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** The instant of a local wall-clock time `daysAgo` days before today, in the stats time zone. */
export function localTime(daysAgo: number, hour: number, minute = 0): Date {
  const today = local(new Date()).day;
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  // Sao Paulo has no DST since 2019: UTC-3 all year.
  return new Date(Date.UTC(y, m - 1, d - daysAgo, hour + 3, minute));
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}
