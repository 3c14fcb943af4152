import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedRows } from '../database/update-returning.js';
import { bucketSql } from './duration-histogram.js';
import {
  OS_WINDOW_DAYS,
  osWindowKey,
  readWatermarks,
  userWindowKey,
  writeWatermark,
} from './rollup-watermarks.js';

export interface RollupReport {
  hourly_until: string;
  daily_until: string;
  days_until: string;
  hourly_groups: number;
  daily_groups: number;
  os_daily_groups: number;
  os_window_rows: number;
  user_window_rows: number;
  histogram_groups: number;
  purged_before: string;
  raw_rows_deleted: number;
}

/** Rows can be committed a little after their `created_at`: only roll up periods older than this. */
const SETTLE = "interval '5 minutes'";

/**
 * Rolls usage up: complete hours for all users (counts and a duration histogram), and the same
 * complete hours into local days (per user, per OS number, duration histogram), then deletes raw
 * rows past `USAGE_RAW_RETENTION_DAYS` once the roll-ups hold them. Everything happens in one
 * transaction with the watermarks, so a roll-up that dies half-way leaves nothing behind and the
 * next one starts from the same marks; queries read roll-ups before the marks and raw rows after
 * them, so figures are the same before and after.
 */
@Injectable()
export class UsageRollupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** `upTo` caps how far this run goes (whole hours), e.g. to roll a long history up in steps. */
  async rollUp(upTo?: Date): Promise<RollupReport> {
    return this.dataSource.transaction(async (manager) => {
      // One roll-up at a time, even with several workers.
      await manager.query('SELECT pg_advisory_xact_lock(7120551905)');
      // The first run after an upgrade rolls the whole raw history up (minutes at 10 M rows):
      // group it without spilling to disk, and past the API's statement timeout.
      await manager.query("SET LOCAL work_mem = '64MB'; SET LOCAL statement_timeout = 0");
      const tz = this.config.STATS_TIMEZONE;
      const marks = await readWatermarks(manager);

      const [{ until }] = (await manager.query(
        `SELECT greatest($1::timestamptz, least(date_trunc('hour', $2::timestamptz), date_trunc('hour', now() - ${SETTLE}))) AS until`,
        [marks.hourly, upTo ?? 'infinity'],
      )) as Array<{ until: Date }>;
      const hourlyRange = [marks.hourly, until];
      const hourly = await countInserted(
        manager,
        `INSERT INTO scraping_usage_hourly (hour, outcome, path, requests, duration_ms_sum, attempts_sum)
         SELECT date_trunc('hour', created_at), outcome, coalesce(path, ''), count(*), sum(duration_ms), sum(attempts)
           FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2, 3`,
        hourlyRange,
      );
      const histogram = await countInserted(
        manager,
        `INSERT INTO scraping_usage_hourly_durations (hour, outcome, path, bucket, requests)
         SELECT date_trunc('hour', created_at), outcome, coalesce(path, ''), ${bucketSql('duration_ms')}, count(*)
           FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2, 3, 4`,
        hourlyRange,
      );
      await writeWatermark(manager, 'hourly_until', until.toISOString());

      // The same complete hours go into their local day, added to what the day holds already.
      // Before `days_until` existed, the per-user roll-up held whole days up to `daily_until`
      // and the other per-day tables nothing.
      const daysFrom = marks.days ?? new Date(0);
      const [{ userFrom }] = (await manager.query(
        `SELECT coalesce($1::timestamptz, $2::date::timestamp AT TIME ZONE $3) AS "userFrom"`,
        [marks.days, marks.daily, tz],
      )) as Array<{ userFrom: Date }>;
      const daily = await countInserted(
        manager,
        `INSERT INTO scraping_usage_daily AS d (day, user_id, outcome, path, requests, duration_ms_sum, attempts_sum, last_at)
         SELECT (created_at AT TIME ZONE $3)::date, user_id, outcome, coalesce(path, ''),
                count(*), sum(duration_ms), sum(attempts), max(created_at)
           FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2, 3, 4
         ON CONFLICT (day, user_id, outcome, path) DO UPDATE
            SET requests = d.requests + EXCLUDED.requests,
                duration_ms_sum = d.duration_ms_sum + EXCLUDED.duration_ms_sum,
                attempts_sum = d.attempts_sum + EXCLUDED.attempts_sum,
                last_at = greatest(d.last_at, EXCLUDED.last_at)`,
        [userFrom, until, tz],
      );
      const osDaily = await countInserted(
        manager,
        `INSERT INTO scraping_usage_os_daily AS o (day, os_number, requests, last_at)
         SELECT (created_at AT TIME ZONE $3)::date, os_number, count(*), max(created_at)
           FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2
         ON CONFLICT (day, os_number) DO UPDATE
            SET requests = o.requests + EXCLUDED.requests, last_at = greatest(o.last_at, EXCLUDED.last_at)`,
        [daysFrom, until, tz],
      );
      const osWindow = await rollOsWindowIn(manager, daysFrom, until, tz);
      const userWindow = await rollUserWindowIn(manager, daysFrom, until, tz);
      // From the hourly histogram: it holds hours whose raw rows may be purged already.
      const dailyHistogram = await countInserted(
        manager,
        `INSERT INTO scraping_usage_daily_durations AS h (day, outcome, path, bucket, requests)
         SELECT (hour AT TIME ZONE $3)::date, outcome, path, bucket, sum(requests)
           FROM scraping_usage_hourly_durations WHERE hour >= $1 AND hour < $2
          GROUP BY 1, 2, 3, 4
         ON CONFLICT (day, outcome, path, bucket) DO UPDATE SET requests = h.requests + EXCLUDED.requests`,
        [daysFrom, until, tz],
      );
      await writeWatermark(manager, 'days_until', until.toISOString());
      const [{ day: dailyUntil }] = (await manager.query(
        `SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day`,
        [until, tz],
      )) as Array<{ day: string }>;
      // Days before it are complete (kept for tools that read whole days).
      await writeWatermark(manager, 'daily_until', dailyUntil);

      const [{ cutoff }] = (await manager.query(
        `SELECT least(((now() AT TIME ZONE $1)::date - $2::int)::timestamp AT TIME ZONE $1, $3::timestamptz) AS cutoff`,
        [tz, this.config.USAGE_RAW_RETENTION_DAYS, until],
      )) as Array<{ cutoff: Date }>;
      const deleted = await affectedRows(
        manager,
        'DELETE FROM scraping_usage_stats WHERE created_at < $1',
        [cutoff],
      );
      await writeWatermark(manager, 'raw_purged_before', cutoff.toISOString());
      return {
        hourly_until: until.toISOString(),
        daily_until: dailyUntil,
        days_until: until.toISOString(),
        hourly_groups: hourly,
        daily_groups: daily,
        os_daily_groups: osDaily,
        os_window_rows: osWindow,
        user_window_rows: userWindow,
        histogram_groups: histogram + dailyHistogram,
        purged_before: cutoff.toISOString(),
        raw_rows_deleted: deleted,
      };
    });
  }
}

/**
 * Keeps requests per OS over the last OS_WINDOW_DAYS local days (up to `until`) current: the hours
 * rolled up now are added while the window starts on the same day; when the day changes it is
 * summed again from the per-day roll-up.
 */
async function rollOsWindowIn(
  manager: EntityManager,
  from: Date,
  until: Date,
  tz: string,
): Promise<number> {
  const key = osWindowKey(OS_WINDOW_DAYS);
  const [{ first }] = (await manager.query(
    `SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date - ($3::int - 1), 'YYYY-MM-DD') AS first`,
    [until, tz, OS_WINDOW_DAYS],
  )) as Array<{ first: string }>;
  const [held] = (await manager.query(`SELECT value FROM usage_rollup_state WHERE key = $1`, [
    key,
  ])) as Array<{ value: string }>;
  let rows: number;
  if (held?.value === first) {
    rows = await countInserted(
      manager,
      `INSERT INTO scraping_usage_os_window AS w (days, os_number, requests, last_at)
       SELECT $4, os_number, count(*), max(created_at)
         FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          AND created_at >= $3::date::timestamp AT TIME ZONE $5
        GROUP BY os_number
       ON CONFLICT (days, os_number) DO UPDATE
          SET requests = w.requests + EXCLUDED.requests, last_at = greatest(w.last_at, EXCLUDED.last_at)`,
      [from, until, first, OS_WINDOW_DAYS, tz],
    );
  } else {
    await manager.query('DELETE FROM scraping_usage_os_window WHERE days = $1', [OS_WINDOW_DAYS]);
    rows = await countInserted(
      manager,
      `INSERT INTO scraping_usage_os_window (days, os_number, requests, last_at)
       SELECT $1, os_number, sum(requests), max(last_at)
         FROM scraping_usage_os_daily WHERE day >= $2::date GROUP BY os_number`,
      [OS_WINDOW_DAYS, first],
    );
  }
  await writeWatermark(manager, key, first);
  return rows;
}

/** The first local day of the window of OS_WINDOW_DAYS days that ends with `until`. */
async function windowStart(manager: EntityManager, until: Date, tz: string): Promise<string> {
  const [{ first }] = (await manager.query(
    `SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date - ($3::int - 1), 'YYYY-MM-DD') AS first`,
    [until, tz, OS_WINDOW_DAYS],
  )) as Array<{ first: string }>;
  return first;
}

/** Per-user totals over the same window as `rollOsWindowIn`, kept current the same way. */
async function rollUserWindowIn(
  manager: EntityManager,
  from: Date,
  until: Date,
  tz: string,
): Promise<number> {
  const key = userWindowKey(OS_WINDOW_DAYS);
  const first = await windowStart(manager, until, tz);
  const [held] = (await manager.query(`SELECT value FROM usage_rollup_state WHERE key = $1`, [
    key,
  ])) as Array<{ value: string }>;
  let rows: number;
  if (held?.value === first) {
    rows = await countInserted(
      manager,
      `INSERT INTO scraping_usage_user_window AS w (days, user_id, outcome, requests, duration_ms_sum, attempts_sum, last_at)
       SELECT $4, user_id, outcome, count(*), sum(duration_ms), sum(attempts), max(created_at)
         FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          AND created_at >= $3::date::timestamp AT TIME ZONE $5
        GROUP BY user_id, outcome
       ON CONFLICT (days, user_id, outcome) DO UPDATE
          SET requests = w.requests + EXCLUDED.requests,
              duration_ms_sum = w.duration_ms_sum + EXCLUDED.duration_ms_sum,
              attempts_sum = w.attempts_sum + EXCLUDED.attempts_sum,
              last_at = greatest(w.last_at, EXCLUDED.last_at)`,
      [from, until, first, OS_WINDOW_DAYS, tz],
    );
  } else {
    await manager.query('DELETE FROM scraping_usage_user_window WHERE days = $1', [OS_WINDOW_DAYS]);
    rows = await countInserted(
      manager,
      `INSERT INTO scraping_usage_user_window (days, user_id, outcome, requests, duration_ms_sum, attempts_sum, last_at)
       SELECT $1, user_id, outcome, sum(requests), sum(duration_ms_sum), sum(attempts_sum), max(last_at)
         FROM scraping_usage_daily WHERE day >= $2::date GROUP BY user_id, outcome`,
      [OS_WINDOW_DAYS, first],
    );
  }
  await writeWatermark(manager, key, first);
  return rows;
}

/** Runs an `INSERT … SELECT` (or upsert) and counts the rows it wrote. */
async function countInserted(
  manager: EntityManager,
  insert: string,
  parameters: unknown[],
): Promise<number> {
  const [{ n }] = (await manager.query(
    `WITH inserted AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM inserted`,
    parameters,
  )) as Array<{
    n: number;
  }>;
  return n;
}
