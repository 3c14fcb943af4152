import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bucketSql } from '../../stats/duration-histogram.js';

/**
 * Duration histograms in the roll-ups (per hour, and per local day, of outcome and path), so
 * percentiles over any window sum roll-ups instead of sorting raw rows; and a per-day roll-up of
 * requests per OS number for the top OS. The hourly histogram is filled here from the raw rows of
 * the hours already rolled up; the per-day tables are filled by the next roll-up (they depend on
 * STATS_TIMEZONE).
 */
export class AddUsageHistograms1764317400000 implements MigrationInterface {
  name = 'AddUsageHistograms1764317400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraping_usage_hourly_durations (
        hour timestamptz NOT NULL,
        outcome varchar(16) NOT NULL,
        path varchar(16) NOT NULL DEFAULT '',
        bucket smallint NOT NULL,
        requests integer NOT NULL,
        CONSTRAINT pk_usage_hourly_durations PRIMARY KEY (hour, outcome, path, bucket)
      )`);
    await queryRunner.query(`
      CREATE TABLE scraping_usage_daily_durations (
        day date NOT NULL,
        outcome varchar(16) NOT NULL,
        path varchar(16) NOT NULL DEFAULT '',
        bucket smallint NOT NULL,
        requests integer NOT NULL,
        CONSTRAINT pk_usage_daily_durations PRIMARY KEY (day, outcome, path, bucket)
      )`);
    await queryRunner.query(`
      CREATE TABLE scraping_usage_os_daily (
        day date NOT NULL,
        os_number varchar(64) NOT NULL,
        requests integer NOT NULL,
        last_at timestamptz NOT NULL,
        CONSTRAINT pk_usage_os_daily PRIMARY KEY (day, os_number) INCLUDE (requests, last_at)
      )`);
    // Requests per OS over the last N local days (the dashboard's default window), kept current
    // by the roll-up, so the top OS reads its first rows instead of summing every day.
    await queryRunner.query(`
      CREATE TABLE scraping_usage_os_window (
        days smallint NOT NULL,
        os_number varchar(64) NOT NULL,
        requests integer NOT NULL,
        last_at timestamptz NOT NULL,
        CONSTRAINT pk_usage_os_window PRIMARY KEY (days, os_number)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_usage_os_window_top ON scraping_usage_os_window (days, requests DESC)',
    );
    // The same per user and outcome, for the ranking and the dashboard's most active users.
    await queryRunner.query(`
      CREATE TABLE scraping_usage_user_window (
        days smallint NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        outcome varchar(16) NOT NULL,
        requests integer NOT NULL,
        duration_ms_sum bigint NOT NULL,
        attempts_sum bigint NOT NULL,
        last_at timestamptz NOT NULL,
        CONSTRAINT pk_usage_user_window PRIMARY KEY (days, user_id, outcome)
      )`);
    await queryRunner.query(`
      INSERT INTO scraping_usage_hourly_durations (hour, outcome, path, bucket, requests)
      SELECT date_trunc('hour', created_at), outcome, coalesce(path, ''), ${bucketSql('duration_ms')}, count(*)
        FROM scraping_usage_stats
       WHERE created_at < coalesce((SELECT value::timestamptz FROM usage_rollup_state WHERE key = 'hourly_until'), 'epoch')
       GROUP BY 1, 2, 3, 4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The per-user daily roll-up also holds the complete hours of its last day; before this
    // migration it held complete days only, so that day goes (raw rows still hold it).
    await queryRunner.query(
      `DELETE FROM scraping_usage_daily WHERE day >= (SELECT value::date FROM usage_rollup_state WHERE key = 'daily_until')`,
    );
    await queryRunner.query(
      `DELETE FROM usage_rollup_state WHERE key = 'days_until' OR key LIKE '%_window_from:%'`,
    );
    await queryRunner.query('DROP TABLE scraping_usage_user_window');
    await queryRunner.query('DROP TABLE scraping_usage_os_window');
    await queryRunner.query('DROP TABLE scraping_usage_os_daily');
    await queryRunner.query('DROP TABLE scraping_usage_daily_durations');
    await queryRunner.query('DROP TABLE scraping_usage_hourly_durations');
  }
}
