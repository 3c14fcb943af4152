import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStatsAdminTables1764317200000 implements MigrationInterface {
  name = 'CreateStatsAdminTables1764317200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraping_usage_daily (
        day date NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        outcome varchar(16) NOT NULL,
        path varchar(16) NOT NULL DEFAULT '',
        requests integer NOT NULL,
        duration_ms_sum bigint NOT NULL,
        attempts_sum bigint NOT NULL,
        last_at timestamptz NOT NULL,
        CONSTRAINT pk_usage_daily PRIMARY KEY (day, user_id, outcome, path)
      )`);
    await queryRunner.query(`
      CREATE TABLE usage_rollup_state (
        key varchar(64) PRIMARY KEY,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE scraping_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule varchar(32) NOT NULL,
        subject varchar(200) NOT NULL,
        severity varchar(16) NOT NULL DEFAULT 'warning',
        state varchar(16) NOT NULL DEFAULT 'open',
        message text NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        notified_at timestamptz,
        notify_attempts integer NOT NULL DEFAULT 0,
        CONSTRAINT ck_alerts_state CHECK (state IN ('open', 'resolved'))
      )`);
    await queryRunner.query(
      "CREATE UNIQUE INDEX uq_alerts_open_rule_subject ON scraping_alerts (rule, subject) WHERE state = 'open'",
    );
    await queryRunner.query('CREATE INDEX ix_alerts_opened_at ON scraping_alerts (opened_at)');
    await queryRunner.query(`
      CREATE TABLE maintenance_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task varchar(32) NOT NULL,
        job_id varchar(200) NOT NULL,
        triggered_by varchar(64) NOT NULL,
        status varchar(16) NOT NULL,
        result jsonb,
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        CONSTRAINT ck_maintenance_runs_status CHECK (status IN ('success', 'failed'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_maintenance_runs_task_started ON maintenance_runs (task, started_at)',
    );
    await queryRunner.query('ALTER TABLE scraping_batch_items ADD COLUMN started_at timestamptz');
    await queryRunner.query(
      "CREATE INDEX ix_batch_items_running ON scraping_batch_items (started_at) WHERE status = 'running'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_batch_items_running');
    await queryRunner.query('ALTER TABLE scraping_batch_items DROP COLUMN started_at');
    await queryRunner.query('DROP TABLE maintenance_runs');
    await queryRunner.query('DROP TABLE scraping_alerts');
    await queryRunner.query('DROP TABLE usage_rollup_state');
    await queryRunner.query('DROP TABLE scraping_usage_daily');
  }
}
