import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { bucketSql, histogramPercentiles, type HistogramBucket } from './duration-histogram.js';
import { osWindowKey, userWindowKey } from './rollup-watermarks.js';
import type { ScrapePath } from './scrape-outcome.js';
import type { StatsWindow } from './stats-window.js';

export interface OutcomeTotals {
  total: number;
  success: number;
  not_found: number;
  forbidden: number;
  failed: number;
  avg_duration_ms: number;
  retries: number;
}

export interface DayTotals extends Omit<OutcomeTotals, 'avg_duration_ms' | 'retries'> {
  day: string;
}

export interface HourTotals extends Omit<OutcomeTotals, 'avg_duration_ms' | 'retries'> {
  hour: number;
}

export interface UserTotals extends OutcomeTotals {
  user_id: string;
  last_activity: string | null;
}

export interface OsCount {
  os_number: string;
  requests: number;
  last_requested_at: string;
}

export interface DurationFigures {
  count: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  retries: number;
  paths: Record<ScrapePath, number>;
}

export interface BucketFigures extends DurationFigures {
  bucket: string;
  success: number;
}

/**
 * The roll-up watermarks: `marks.hourly` (instant) for the hourly roll-ups; `marks.days` (instant)
 * for the per-day roll-ups of OS numbers and durations; `marks.daily` (instant) for the per-user
 * daily roll-up, which before the first roll-up that set `days_until` held whole days up to
 * `daily_until`. `overRollups` reads them and writes them into the SQL as constants, so the
 * planner sizes the raw tail after them. Queries take $1 window start, $2 first local day, $3
 * time zone, $4 user id (or null); this CTE names their types, so a query may leave some unused.
 */
const MARKS = `marks AS (SELECT $1::timestamptz AS first_instant, $2::date AS first_day, $3::text AS tz, $4::uuid AS only_user)`;

interface Marks {
  hourly: Date;
  days: Date;
  daily: Date;
}

/**
 * Usage of all users from the window start ($1), by local day and hour ($3 = time zone): the
 * hourly roll-up before its watermark, raw rows after it.
 */
const GLOBAL_ROWS = `
  SELECT (h.hour AT TIME ZONE $3)::date AS day, extract(hour FROM h.hour AT TIME ZONE $3)::int AS hour, h.outcome,
         h.requests AS n, h.duration_ms_sum AS d, h.attempts_sum - h.requests AS r
    FROM scraping_usage_hourly h, marks WHERE h.hour >= $1 AND h.hour < marks.hourly
  UNION ALL
  SELECT (u.created_at AT TIME ZONE $3)::date, extract(hour FROM u.created_at AT TIME ZONE $3)::int, u.outcome,
         count(*), sum(u.duration_ms), sum(u.attempts - 1)
    FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.hourly)
   GROUP BY 1, 2, 3`;

/**
 * Usage per user from the window's first day ($2; $1 its instant, $3 the time zone), of one user
 * when $4 is set: the daily roll-up before its watermark, raw rows after it.
 */
const USER_ROWS = `
  SELECT d.day, d.user_id, d.outcome, d.requests AS n, d.duration_ms_sum AS d, d.attempts_sum - d.requests AS r, d.last_at AS last
    FROM scraping_usage_daily d WHERE d.day >= $2::date AND ($4::uuid IS NULL OR d.user_id = $4)
  UNION ALL
  SELECT (u.created_at AT TIME ZONE $3)::date, u.user_id, u.outcome, count(*), sum(u.duration_ms), sum(u.attempts - 1), max(u.created_at)
    FROM scraping_usage_stats u, marks
   WHERE u.created_at >= greatest($1, marks.daily) AND ($4::uuid IS NULL OR u.user_id = $4)
   GROUP BY 1, 2, 3`;

/**
 * Usage per user over the window the roll-up keeps ($6 days, starting on the window's first day):
 * its totals, then raw rows after the per-day watermark.
 */
const USER_WINDOW_ROWS = `
  SELECT w.user_id, w.outcome, w.requests AS n, w.duration_ms_sum AS d, w.attempts_sum - w.requests AS r, w.last_at AS last
    FROM scraping_usage_user_window w WHERE w.days = $6
  UNION ALL
  SELECT u.user_id, u.outcome, count(*), sum(u.duration_ms), sum(u.attempts - 1), max(u.created_at)
    FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.days)
   GROUP BY 1, 2`;

/** Usage of all users per hour (an instant) and path from the window start ($1): hourly roll-up, then raw rows. */
const HOURLY_PATH_ROWS = `
  SELECT h.hour AS at, h.outcome, h.path, h.requests AS n, h.duration_ms_sum AS d, h.attempts_sum - h.requests AS r
    FROM scraping_usage_hourly h, marks WHERE h.hour >= $1 AND h.hour < marks.hourly
  UNION ALL
  SELECT date_trunc('hour', u.created_at), u.outcome, coalesce(u.path, ''), count(*), sum(u.duration_ms), sum(u.attempts - 1)
    FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.hourly)
   GROUP BY 1, 2, 3`;

/** What `toDurationFigures` reads, summed over rows of HOURLY_PATH_ROWS. */
const COUNT_COLUMNS = `coalesce(sum(n), 0) AS count,
  coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS success,
  coalesce(sum(d)::float8 / nullif(sum(n), 0), 0) AS avg_ms,
  coalesce(sum(r), 0) AS retries,
  coalesce(sum(n) FILTER (WHERE path = 'http'), 0) AS http,
  coalesce(sum(n) FILTER (WHERE path = 'browser'), 0) AS browser,
  coalesce(sum(n) FILTER (WHERE path = 'robust'), 0) AS robust`;

/** Duration histogram per local hour (`local_at`) from the window start: hourly roll-up, then raw rows. */
const HOURLY_HISTOGRAM = `
  SELECT h.hour AT TIME ZONE $3 AS local_at, h.bucket, h.requests AS n
    FROM scraping_usage_hourly_durations h, marks WHERE h.hour >= $1 AND h.hour < marks.hourly
  UNION ALL
  SELECT date_trunc('hour', u.created_at AT TIME ZONE $3), ${bucketSql('u.duration_ms')}, count(*)
    FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.hourly)
   GROUP BY 1, 2`;

/**
 * Duration histogram per local day or hour (`local_at`) from the window's first day ($2): the
 * daily roll-up, the hourly one after its mark, then raw rows.
 */
const DAILY_HISTOGRAM = `
  SELECT d.day::timestamp AS local_at, d.bucket, d.requests AS n
    FROM scraping_usage_daily_durations d WHERE d.day >= $2::date
  UNION ALL
  SELECT h.hour AT TIME ZONE $3, h.bucket, h.requests
    FROM scraping_usage_hourly_durations h, marks WHERE h.hour >= greatest($1, marks.days) AND h.hour < marks.hourly
  UNION ALL
  SELECT date_trunc('hour', u.created_at AT TIME ZONE $3), ${bucketSql('u.duration_ms')}, count(*)
    FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.hourly)
   GROUP BY 1, 2`;

/**
 * Aggregations over the usage rows, in SQL. Counts, series, rankings, the top OS and duration
 * histograms read the roll-ups up to their watermarks and raw rows after them (maintenance rolls
 * up complete hours every hour); percentiles come from the summed histograms, or from raw rows
 * for a one-day window.
 */
@Injectable()
export class UsageQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** The last `days` calendar days in the stats time zone, today included. */
  async window(days: number): Promise<StatsWindow> {
    const [row] = await this.dataSource.query<
      Array<{ from_ts: Date; from_day: string; to_day: string; now: Date }>
    >(
      `SELECT (date_trunc('day', now() AT TIME ZONE $1) - ($2::int - 1) * interval '1 day') AT TIME ZONE $1 AS from_ts,
              to_char(date_trunc('day', now() AT TIME ZONE $1) - ($2::int - 1) * interval '1 day', 'YYYY-MM-DD') AS from_day,
              to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD') AS to_day,
              now() AS now`,
      [this.config.STATS_TIMEZONE, days],
    );
    return {
      days,
      timezone: this.config.STATS_TIMEZONE,
      from: row!.from_ts,
      fromDay: row!.from_day,
      toDay: row!.to_day,
      to: row!.now,
    };
  }

  async totals(window: StatsWindow, userId?: string): Promise<OutcomeTotals> {
    const [row] = await this.rolledQuery<Array<Record<string, string | null>>>(
      `WITH ${MARKS}, rows AS (${userId ? USER_ROWS : GLOBAL_ROWS})
       SELECT coalesce(sum(n), 0) AS total,
              coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS success,
              coalesce(sum(n) FILTER (WHERE outcome = 'not_found'), 0) AS not_found,
              coalesce(sum(n) FILTER (WHERE outcome = 'forbidden'), 0) AS forbidden,
              coalesce(sum(n) FILTER (WHERE outcome = 'failed'), 0) AS failed,
              coalesce(sum(d)::float8 / nullif(sum(n), 0), 0) AS avg_duration_ms,
              coalesce(sum(r), 0) AS retries
         FROM rows`,
      [window.from, window.fromDay, window.timezone, userId ?? null],
    );
    return {
      total: Number(row!.total),
      success: Number(row!.success),
      not_found: Number(row!.not_found),
      forbidden: Number(row!.forbidden),
      failed: Number(row!.failed),
      avg_duration_ms: Number(row!.avg_duration_ms),
      retries: Number(row!.retries),
    };
  }

  /** One entry per day of the window, zeros included. */
  async perDay(window: StatsWindow, userId?: string): Promise<DayTotals[]> {
    const rows = await this.rolledQuery<Array<Record<string, string>>>(
      `WITH ${MARKS}, rows AS (${userId ? USER_ROWS : GLOBAL_ROWS}),
       days AS (SELECT generate_series($2::date, (now() AT TIME ZONE $3)::date, interval '1 day')::date AS day)
       SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
              coalesce(sum(n), 0) AS total,
              coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS success,
              coalesce(sum(n) FILTER (WHERE outcome = 'not_found'), 0) AS not_found,
              coalesce(sum(n) FILTER (WHERE outcome = 'forbidden'), 0) AS forbidden,
              coalesce(sum(n) FILTER (WHERE outcome = 'failed'), 0) AS failed
         FROM days LEFT JOIN rows ON rows.day = days.day
        GROUP BY days.day ORDER BY days.day`,
      [window.from, window.fromDay, window.timezone, userId ?? null],
    );
    return rows.map((row) => ({
      day: row.day!,
      total: Number(row.total),
      success: Number(row.success),
      not_found: Number(row.not_found),
      forbidden: Number(row.forbidden),
      failed: Number(row.failed),
    }));
  }

  /** Use by hour of the day (0-23, stats time zone), all 24 hours. */
  async perHourOfDay(window: StatsWindow): Promise<HourTotals[]> {
    const rows = await this.rolledQuery<Array<Record<string, string>>>(
      `WITH ${MARKS}, rows AS (${GLOBAL_ROWS})
       SELECT hours.hour,
              coalesce(sum(n), 0) AS total,
              coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS success,
              coalesce(sum(n) FILTER (WHERE outcome = 'not_found'), 0) AS not_found,
              coalesce(sum(n) FILTER (WHERE outcome = 'forbidden'), 0) AS forbidden,
              coalesce(sum(n) FILTER (WHERE outcome = 'failed'), 0) AS failed
         FROM generate_series(0, 23) AS hours(hour) LEFT JOIN rows ON rows.hour = hours.hour
        GROUP BY hours.hour ORDER BY hours.hour`,
      [window.from, window.fromDay, window.timezone, null],
    );
    return rows.map((row) => ({
      hour: Number(row.hour),
      total: Number(row.total),
      success: Number(row.success),
      not_found: Number(row.not_found),
      forbidden: Number(row.forbidden),
      failed: Number(row.failed),
    }));
  }

  /** Users by OS scraped (most first; ties by user id, for a stable order). */
  async perUser(window: StatsWindow, limit: number): Promise<UserTotals[]> {
    const rows = await this.overRollups(async (manager, withMarks) => {
      // Over the window kept by the roll-up: its totals, then raw rows after it.
      const [held] = (await manager.query('SELECT value FROM usage_rollup_state WHERE key = $1', [
        userWindowKey(window.days),
      ])) as Array<{ value: string }>;
      const kept = held?.value === window.fromDay;
      return (await manager.query(
        withMarks(
          `WITH ${MARKS}, rows AS (${kept ? USER_WINDOW_ROWS : USER_ROWS})
           SELECT user_id,
                  sum(n) AS total,
                  coalesce(sum(n) FILTER (WHERE outcome = 'success'), 0) AS success,
                  coalesce(sum(n) FILTER (WHERE outcome = 'not_found'), 0) AS not_found,
                  coalesce(sum(n) FILTER (WHERE outcome = 'forbidden'), 0) AS forbidden,
                  coalesce(sum(n) FILTER (WHERE outcome = 'failed'), 0) AS failed,
                  sum(d)::float8 / sum(n) AS avg_duration_ms,
                  sum(r) AS retries,
                  max(last) AS last_activity
             FROM rows GROUP BY user_id
            ORDER BY sum(n) DESC, user_id
            LIMIT $5`,
        ),
        [window.from, window.fromDay, window.timezone, null, limit, ...(kept ? [window.days] : [])],
      )) as Array<Record<string, string | null>>;
    });
    return rows.map((row) => ({
      user_id: row.user_id!,
      total: Number(row.total),
      success: Number(row.success),
      not_found: Number(row.not_found),
      forbidden: Number(row.forbidden),
      failed: Number(row.failed),
      avg_duration_ms: Number(row.avg_duration_ms),
      retries: Number(row.retries),
      last_activity: row.last_activity ? new Date(row.last_activity).toISOString() : null,
    }));
  }

  /**
   * The most requested OS numbers (ties by number). Over the window kept by the roll-up: its
   * leaders and the OS of the raw rows after it, which are all that can make the top; else the
   * per-day roll-up summed, then raw rows.
   */
  async topOs(window: StatsWindow, limit: number): Promise<OsCount[]> {
    const parameters = [window.from, window.fromDay, window.timezone, null, limit];
    // One snapshot: the window start read is the one the totals hold.
    const rows = await this.overRollups(async (manager, withMarks) => {
      const [held] = (await manager.query('SELECT value FROM usage_rollup_state WHERE key = $1', [
        osWindowKey(window.days),
      ])) as Array<{ value: string }>;
      const sql =
        held?.value === window.fromDay
          ? `WITH ${MARKS}, tail AS (
               SELECT u.os_number, count(*) AS n, max(u.created_at) AS last
                 FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.days)
                GROUP BY u.os_number),
             threshold AS (
               SELECT coalesce((SELECT requests FROM scraping_usage_os_window WHERE days = $6
                                 ORDER BY requests DESC OFFSET $5 - 1 LIMIT 1), 0) AS n),
             candidates AS (
               SELECT w.os_number FROM scraping_usage_os_window w, threshold
                WHERE w.days = $6 AND w.requests >= threshold.n
               UNION SELECT os_number FROM tail)
             SELECT c.os_number, coalesce(w.requests, 0) + coalesce(t.n, 0) AS requests,
                    greatest(w.last_at, t.last) AS last
               FROM candidates c
               LEFT JOIN scraping_usage_os_window w ON w.days = $6 AND w.os_number = c.os_number
               LEFT JOIN tail t ON t.os_number = c.os_number
              ORDER BY 2 DESC, 1 LIMIT $5`
          : `WITH ${MARKS}, rows AS (
               SELECT o.os_number, o.requests AS n, o.last_at AS last
                 FROM scraping_usage_os_daily o WHERE o.day >= $2::date
               UNION ALL
               SELECT u.os_number, count(*), max(u.created_at)
                 FROM scraping_usage_stats u, marks WHERE u.created_at >= greatest($1, marks.days)
                GROUP BY u.os_number)
             SELECT os_number, sum(n) AS requests, max(last) AS last
               FROM rows GROUP BY os_number ORDER BY sum(n) DESC, os_number LIMIT $5`;
      return (await manager.query(
        withMarks(sql),
        held?.value === window.fromDay ? [...parameters, window.days] : parameters,
      )) as Array<{ os_number: string; requests: string; last: Date }>;
    });
    return rows.map((row) => ({
      os_number: row.os_number,
      requests: Number(row.requests),
      last_requested_at: new Date(row.last).toISOString(),
    }));
  }

  /**
   * Time per OS (avg, median, 95th percentile), retries and paths over the window. Percentiles
   * are exact (from raw rows) for a one-day window, else from the duration histograms, within
   * `HISTOGRAM_MAX_RELATIVE_ERROR`.
   */
  async durations(window: StatsWindow): Promise<DurationFigures> {
    if (window.days <= 1) return this.exactDurations(window);
    const parameters = [window.from, window.fromDay, window.timezone, null];
    const [[row], histogram] = await Promise.all([
      this.rolledQuery<Array<Record<string, string | null>>>(
        `WITH ${MARKS}, rows AS (${HOURLY_PATH_ROWS}) SELECT ${COUNT_COLUMNS} FROM rows`,
        parameters,
      ),
      this.rolledQuery<Array<{ bucket: number; n: string }>>(
        `WITH ${MARKS}, rows AS (${DAILY_HISTOGRAM})
         SELECT bucket, sum(n) AS n FROM rows GROUP BY bucket`,
        parameters,
      ),
    ]);
    const [p50, p95] = histogramPercentiles(toHistogram(histogram), [0.5, 0.95]);
    return toDurationFigures({ ...row!, pct: [p50!, p95!] });
  }

  /**
   * Figures per hour or day of the window (buckets with no use are left out). Percentiles as in
   * `durations`: exact for a one-day window, else from the histograms.
   */
  async buckets(window: StatsWindow, granularity: 'hour' | 'day'): Promise<BucketFigures[]> {
    if (window.days <= 1) return this.exactBuckets(window, granularity);
    const parameters = [window.from, window.fromDay, window.timezone, null, granularity];
    const key = (at: string) => `to_char(date_trunc($5, ${at}), 'YYYY-MM-DD"T"HH24:MI:SS')`;
    const [rows, histograms] = await Promise.all([
      this.rolledQuery<Array<Record<string, string | null>>>(
        `WITH ${MARKS}, rows AS (${HOURLY_PATH_ROWS})
         SELECT ${key('at AT TIME ZONE $3')} AS bucket, ${COUNT_COLUMNS}
           FROM rows GROUP BY 1 ORDER BY 1`,
        parameters,
      ),
      this.rolledQuery<Array<{ key: string; bucket: number; n: string }>>(
        `WITH ${MARKS}, rows AS (${granularity === 'hour' ? HOURLY_HISTOGRAM : DAILY_HISTOGRAM})
         SELECT ${key('local_at')} AS key, bucket, sum(n) AS n FROM rows GROUP BY 1, 2`,
        parameters,
      ),
    ]);
    const perKey = new Map<string, Array<{ bucket: number; n: string }>>();
    for (const entry of histograms) {
      const list = perKey.get(entry.key) ?? [];
      list.push(entry);
      perKey.set(entry.key, list);
    }
    return rows.map((row) => {
      const [p50, p95] = histogramPercentiles(
        toHistogram(perKey.get(row.bucket!) ?? []),
        [0.5, 0.95],
      );
      return {
        ...toDurationFigures({ ...row, pct: [p50!, p95!] }),
        bucket: String(row.bucket),
        success: Number(row.success),
      };
    });
  }

  /** `durations` with exact percentiles, from raw rows. */
  private async exactDurations(window: StatsWindow): Promise<DurationFigures> {
    const [row] = await this.analytic<Record<string, string | number[] | null>>(
      `SELECT count(*) AS count,
              coalesce(avg(duration_ms), 0) AS avg_ms,
              percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS pct,
              coalesce(sum(attempts - 1), 0) AS retries,
              count(*) FILTER (WHERE path = 'http') AS http,
              count(*) FILTER (WHERE path = 'browser') AS browser,
              count(*) FILTER (WHERE path = 'robust') AS robust
         FROM scraping_usage_stats WHERE created_at >= $1`,
      [window.from],
    );
    return toDurationFigures(row!);
  }

  /** `buckets` with exact percentiles, from raw rows. */
  private async exactBuckets(
    window: StatsWindow,
    granularity: 'hour' | 'day',
  ): Promise<BucketFigures[]> {
    const rows = await this.analytic<Record<string, string | number[] | null>>(
      `SELECT to_char(date_trunc($2, created_at AT TIME ZONE $3), 'YYYY-MM-DD"T"HH24:MI:SS') AS bucket,
              count(*) AS count,
              count(*) FILTER (WHERE outcome = 'success') AS success,
              avg(duration_ms) AS avg_ms,
              percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_ms) AS pct,
              sum(attempts - 1) AS retries,
              count(*) FILTER (WHERE path = 'http') AS http,
              count(*) FILTER (WHERE path = 'browser') AS browser,
              count(*) FILTER (WHERE path = 'robust') AS robust
         FROM scraping_usage_stats WHERE created_at >= $1
        GROUP BY 1 ORDER BY 1`,
      [window.from, granularity, window.timezone],
    );
    return rows.map((row) => ({
      ...toDurationFigures(row),
      bucket: String(row.bucket),
      success: Number(row.success),
    }));
  }

  /** One query over roll-ups and raw rows (see `overRollups`). */
  private rolledQuery<T>(sql: string, parameters: unknown[]): Promise<T> {
    return this.overRollups(
      async (manager, withMarks) => (await manager.query(withMarks(sql), parameters)) as T,
    );
  }

  /**
   * Runs queries over roll-ups and raw rows in one snapshot, so the watermarks read are those the
   * roll-ups hold; `withMarks` writes them into the SQL as constants (instants from the
   * database, not input), which lets the planner see how small the raw tail is.
   */
  private overRollups<T>(
    run: (manager: EntityManager, withMarks: (sql: string) => string) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      // Small, well-indexed reads: compiling them (JIT) costs more than running them.
      await manager.query("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'");
      const [marks] = (await manager.query(
        `SELECT coalesce((SELECT value::timestamptz FROM usage_rollup_state WHERE key = 'hourly_until'), 'epoch') AS hourly,
                coalesce((SELECT value::timestamptz FROM usage_rollup_state WHERE key = 'days_until'), 'epoch') AS days,
                coalesce((SELECT value::timestamptz FROM usage_rollup_state WHERE key = 'days_until'),
                         (SELECT value::date FROM usage_rollup_state WHERE key = 'daily_until')::timestamp AT TIME ZONE $1,
                         'epoch') AS daily`,
        [this.config.STATS_TIMEZONE],
      )) as Marks[];
      const constant = (at: Date) => `'${at.toISOString()}'::timestamptz`;
      return run(manager, (sql) =>
        sql
          .replaceAll('marks.hourly', constant(marks!.hourly))
          .replaceAll('marks.days', constant(marks!.days))
          .replaceAll('marks.daily', constant(marks!.daily)),
      );
    });
  }

  /** Runs a query that sorts many rows with enough memory to sort without spilling to disk. */
  private analytic<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query("SET LOCAL work_mem = '64MB'");
      return (await manager.query(sql, parameters)) as T[];
    });
  }

  /** Failed outcomes among the OS that ended in the last `minutes`. */
  async recentErrorRate(minutes: number): Promise<{ total: number; failed: number }> {
    const [row] = await this.dataSource.query<Array<{ total: string; failed: string }>>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE outcome = 'failed') AS failed
         FROM scraping_usage_stats WHERE created_at >= now() - $1::int * interval '1 minute'`,
      [minutes],
    );
    return { total: Number(row!.total), failed: Number(row!.failed) };
  }

  /** OS that took longer than `ms` and ended in the last `minutes`. */
  async slowOutcomes(
    ms: number,
    minutes: number,
  ): Promise<Array<{ os_number: string; duration_ms: number; created_at: string }>> {
    const rows = await this.dataSource.query<
      Array<{ os_number: string; duration_ms: number; created_at: Date }>
    >(
      `SELECT os_number, duration_ms, created_at FROM scraping_usage_stats
        WHERE created_at >= now() - $2::int * interval '1 minute' AND duration_ms > $1
        ORDER BY duration_ms DESC LIMIT 20`,
      [ms, minutes],
    );
    return rows.map((row) => ({
      os_number: row.os_number,
      duration_ms: row.duration_ms,
      created_at: row.created_at.toISOString(),
    }));
  }

  /** The latest failures, for troubleshooting. */
  /** The latest failures, of every user or of one. */
  async lastErrors(
    limit: number,
    userId?: string,
  ): Promise<
    Array<{
      os_number: string;
      error_code: string | null;
      error_message: string | null;
      at: string;
    }>
  > {
    const rows = await this.dataSource.query<
      Array<{
        os_number: string;
        error_code: string | null;
        error_message: string | null;
        created_at: Date;
      }>
    >(
      `SELECT os_number, error_code, error_message, created_at FROM scraping_usage_stats
        WHERE outcome = 'failed' AND ($2::uuid IS NULL OR user_id = $2::uuid)
        ORDER BY created_at DESC LIMIT $1`,
      [limit, userId ?? null],
    );
    return rows.map((row) => ({
      os_number: row.os_number,
      error_code: row.error_code,
      error_message: row.error_message,
      at: row.created_at.toISOString(),
    }));
  }
}

function toHistogram(rows: Array<{ bucket: number; n: string }>): HistogramBucket[] {
  return rows.map((row) => ({ bucket: Number(row.bucket), count: Number(row.n) }));
}

function toDurationFigures(row: Record<string, string | number[] | null>): DurationFigures {
  const [p50, p95] = Array.isArray(row.pct) ? row.pct : [0, 0];
  return {
    count: Number(row.count),
    avg_ms: Number(row.avg_ms ?? 0),
    p50_ms: Number(p50 ?? 0),
    p95_ms: Number(p95 ?? 0),
    retries: Number(row.retries ?? 0),
    paths: {
      http: Number(row.http ?? 0),
      browser: Number(row.browser ?? 0),
      robust: Number(row.robust ?? 0),
    },
  };
}
