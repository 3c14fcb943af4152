import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly roll-up of usage for all users (the dashboard's counts and series), and a covering index
 * so the figures still read from raw rows (percentiles, top OS) scan the index alone.
 */
export class AddHourlyUsageRollup1764317300000 implements MigrationInterface {
  name = 'AddHourlyUsageRollup1764317300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraping_usage_hourly (
        hour timestamptz NOT NULL,
        outcome varchar(16) NOT NULL,
        path varchar(16) NOT NULL DEFAULT '',
        requests integer NOT NULL,
        duration_ms_sum bigint NOT NULL,
        attempts_sum bigint NOT NULL,
        CONSTRAINT pk_usage_hourly PRIMARY KEY (hour, outcome, path)
      )`);
    await queryRunner.query('DROP INDEX ix_usage_created_at');
    await queryRunner.query(
      'CREATE INDEX ix_usage_created_at ON scraping_usage_stats (created_at) INCLUDE (user_id, os_number, outcome, path, attempts, duration_ms)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_usage_created_at');
    await queryRunner.query(
      'CREATE INDEX ix_usage_created_at ON scraping_usage_stats (created_at)',
    );
    await queryRunner.query('DROP TABLE scraping_usage_hourly');
  }
}
