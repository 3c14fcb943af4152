import type { EntityManager } from 'typeorm';

/**
 * Up to where usage has been rolled up. `hourly` (an instant, exclusive): the all-users hourly
 * roll-up and its duration histogram. `days` (an instant, exclusive, null before the first
 * roll-up that set it): the per-local-day roll-ups (per user, per OS, duration histogram), which
 * take complete hours into their day. `daily` (a local date, exclusive): days before it are
 * complete; before `days` existed the per-user roll-up held whole days up to it. Raw rows before
 * a watermark are counted in its roll-up only, never twice.
 */
export interface RollupWatermarks {
  hourly: Date;
  daily: string;
  days: Date | null;
}

const EPOCH = { hourly: new Date(0), daily: '1970-01-01' };

export type WatermarkKey =
  'hourly_until' | 'daily_until' | 'days_until' | 'raw_purged_before' | OsWindowKey | UserWindowKey;

/** The first local day held by the per-OS totals of the last `days` days. */
export type OsWindowKey = `os_window_from:${number}`;

export function osWindowKey(days: number): OsWindowKey {
  return `os_window_from:${days}`;
}

/** The first local day held by the per-user totals of the last `days` days. */
export type UserWindowKey = `user_window_from:${number}`;

export function userWindowKey(days: number): UserWindowKey {
  return `user_window_from:${days}`;
}

/** Per-OS and per-user totals are kept for a window of this many days (the dashboard's default). */
export const OS_WINDOW_DAYS = 30;

export async function readWatermarks(
  runner: Pick<EntityManager, 'query'>,
): Promise<RollupWatermarks> {
  const rows = (await runner.query(
    `SELECT key, value FROM usage_rollup_state WHERE key IN ('hourly_until', 'daily_until', 'days_until')`,
  )) as Array<{
    key: string;
    value: string;
  }>;
  const values = new Map(rows.map((row) => [row.key, row.value]));
  return {
    hourly: values.has('hourly_until') ? new Date(values.get('hourly_until')!) : EPOCH.hourly,
    daily: values.get('daily_until') ?? EPOCH.daily,
    days: values.has('days_until') ? new Date(values.get('days_until')!) : null,
  };
}

export async function writeWatermark(
  runner: Pick<EntityManager, 'query'>,
  key: WatermarkKey,
  value: string,
): Promise<void> {
  await runner.query(
    `INSERT INTO usage_rollup_state (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, value],
  );
}
