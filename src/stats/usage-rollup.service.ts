import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { affectedRows } from '../database/update-returning.js';

export interface RollupReport {
  purged_before: string;
  groups_rolled_up: number;
  raw_rows_deleted: number;
}

/**
 * Rolls raw usage rows older than `USAGE_RAW_RETENTION_DAYS` into daily figures and deletes them,
 * in one transaction, so every count the dashboard shows stays the same.
 */
@Injectable()
export class UsageRollupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async rollUp(): Promise<RollupReport> {
    return this.dataSource.transaction(async (manager) => {
      const tz = this.config.STATS_TIMEZONE;
      const [{ cutoff }] = (await manager.query(
        `SELECT to_char((now() AT TIME ZONE $1)::date - $2::int, 'YYYY-MM-DD') AS cutoff`,
        [tz, this.config.USAGE_RAW_RETENTION_DAYS],
      )) as Array<{ cutoff: string }>;
      const rolled = (await manager.query(
        `INSERT INTO scraping_usage_daily AS daily
                (day, user_id, outcome, path, requests, duration_ms_sum, attempts_sum, last_at)
         SELECT (created_at AT TIME ZONE $1)::date, user_id, outcome, coalesce(path, ''),
                count(*), sum(duration_ms), sum(attempts), max(created_at)
           FROM scraping_usage_stats
          WHERE created_at < $2::date::timestamp AT TIME ZONE $1
          GROUP BY 1, 2, 3, 4
         ON CONFLICT ON CONSTRAINT pk_usage_daily DO UPDATE SET
           requests = daily.requests + EXCLUDED.requests,
           duration_ms_sum = daily.duration_ms_sum + EXCLUDED.duration_ms_sum,
           attempts_sum = daily.attempts_sum + EXCLUDED.attempts_sum,
           last_at = greatest(daily.last_at, EXCLUDED.last_at)
         RETURNING 1`,
        [tz, cutoff],
      )) as unknown[];
      const deleted = await affectedRows(
        manager,
        `DELETE FROM scraping_usage_stats WHERE created_at < $2::date::timestamp AT TIME ZONE $1`,
        [tz, cutoff],
      );
      await manager.query(
        `INSERT INTO usage_rollup_state (key, value) VALUES ('raw_purged_before', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [cutoff],
      );
      return { purged_before: cutoff, groups_rolled_up: rolled.length, raw_rows_deleted: deleted };
    });
  }
}
