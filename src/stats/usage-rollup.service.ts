import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedRows } from '../database/update-returning.js';
import { readWatermarks, writeWatermark } from './rollup-watermarks.js';

export interface RollupReport {
  hourly_until: string;
  daily_until: string;
  hourly_groups: number;
  daily_groups: number;
  purged_before: string;
  raw_rows_deleted: number;
}

/** Rows can be committed a little after their `created_at`: only roll up periods older than this. */
const SETTLE = "interval '5 minutes'";

/**
 * Rolls usage up — complete hours for all users, complete local days per user — and deletes raw
 * rows past `USAGE_RAW_RETENTION_DAYS` once both roll-ups hold them. Each step moves its watermark
 * in the same transaction, so the dashboard (roll-up before the watermark, raw rows after it)
 * shows the same counts before and after.
 */
@Injectable()
export class UsageRollupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async rollUp(): Promise<RollupReport> {
    return this.dataSource.transaction(async (manager) => {
      // One roll-up at a time, even with several workers.
      await manager.query('SELECT pg_advisory_xact_lock(7120551905)');
      const tz = this.config.STATS_TIMEZONE;
      const marks = await readWatermarks(manager);

      const [{ until: hourlyUntil }] = (await manager.query(
        `SELECT greatest($1::timestamptz, date_trunc('hour', now() - ${SETTLE})) AS until`,
        [marks.hourly],
      )) as Array<{ until: Date }>;
      const hourly = await countInserted(
        manager,
        `INSERT INTO scraping_usage_hourly (hour, outcome, path, requests, duration_ms_sum, attempts_sum)
         SELECT date_trunc('hour', created_at), outcome, coalesce(path, ''), count(*), sum(duration_ms), sum(attempts)
           FROM scraping_usage_stats WHERE created_at >= $1 AND created_at < $2
          GROUP BY 1, 2, 3`,
        [marks.hourly, hourlyUntil],
      );
      await writeWatermark(manager, 'hourly_until', hourlyUntil.toISOString());

      const [{ until: dailyUntil }] = (await manager.query(
        `SELECT to_char(greatest($1::date, ((now() - ${SETTLE}) AT TIME ZONE $2)::date), 'YYYY-MM-DD') AS until`,
        [marks.daily, tz],
      )) as Array<{ until: string }>;
      const daily = await countInserted(
        manager,
        `INSERT INTO scraping_usage_daily (day, user_id, outcome, path, requests, duration_ms_sum, attempts_sum, last_at)
         SELECT (created_at AT TIME ZONE $3)::date, user_id, outcome, coalesce(path, ''),
                count(*), sum(duration_ms), sum(attempts), max(created_at)
           FROM scraping_usage_stats
          WHERE created_at >= $1::date::timestamp AT TIME ZONE $3 AND created_at < $2::date::timestamp AT TIME ZONE $3
          GROUP BY 1, 2, 3, 4`,
        [marks.daily, dailyUntil, tz],
      );
      await writeWatermark(manager, 'daily_until', dailyUntil);

      const [{ cutoff }] = (await manager.query(
        `SELECT least(((now() AT TIME ZONE $1)::date - $2::int)::timestamp AT TIME ZONE $1, $3::timestamptz, $4::date::timestamp AT TIME ZONE $1) AS cutoff`,
        [tz, this.config.USAGE_RAW_RETENTION_DAYS, hourlyUntil, dailyUntil],
      )) as Array<{ cutoff: Date }>;
      const deleted = await affectedRows(
        manager,
        'DELETE FROM scraping_usage_stats WHERE created_at < $1',
        [cutoff],
      );
      await writeWatermark(manager, 'raw_purged_before', cutoff.toISOString());
      return {
        hourly_until: hourlyUntil.toISOString(),
        daily_until: dailyUntil,
        hourly_groups: hourly,
        daily_groups: daily,
        purged_before: cutoff.toISOString(),
        raw_rows_deleted: deleted,
      };
    });
  }
}

/** Runs an `INSERT … SELECT` and counts the rows it inserted. */
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
