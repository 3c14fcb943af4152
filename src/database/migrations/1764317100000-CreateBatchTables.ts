import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBatchTables1764317100000 implements MigrationInterface {
  name = 'CreateBatchTables1764317100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraping_batch_stats (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        name varchar(200) NOT NULL,
        state varchar(16) NOT NULL DEFAULT 'queued',
        total integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        succeeded integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        cancelled integer NOT NULL DEFAULT 0,
        retries integer NOT NULL DEFAULT 0,
        path_http integer NOT NULL DEFAULT 0,
        path_browser integer NOT NULL DEFAULT 0,
        path_robust integer NOT NULL DEFAULT 0,
        total_duration_ms bigint NOT NULL DEFAULT 0,
        avg_duration_ms integer,
        p95_duration_ms integer,
        runs integer NOT NULL DEFAULT 0,
        idempotency_key varchar(128),
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_batches_state
          CHECK (state IN ('queued', 'throttled', 'running', 'completed', 'failed', 'cancelled')),
        CONSTRAINT ck_batches_counts CHECK (processed + cancelled <= total)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_batches_user_created_at ON scraping_batch_stats (user_id, created_at)',
    );
    await queryRunner.query(
      "CREATE INDEX ix_batches_open ON scraping_batch_stats (state) WHERE state IN ('queued', 'throttled', 'running')",
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX uq_batches_user_idempotency_key ON scraping_batch_stats (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE scraping_batch_items (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        batch_id uuid NOT NULL REFERENCES scraping_batch_stats(id) ON DELETE CASCADE,
        position integer NOT NULL,
        os_number varchar(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        path varchar(16),
        attempts smallint NOT NULL DEFAULT 0,
        duration_ms integer,
        error_code varchar(64),
        error_message text,
        finished_at timestamptz,
        CONSTRAINT uq_batch_items_batch_os UNIQUE (batch_id, os_number),
        CONSTRAINT ck_batch_items_status
          CHECK (status IN ('pending', 'running', 'success', 'not_found', 'failed', 'cancelled'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_batch_items_batch_status ON scraping_batch_items (batch_id, status)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE scraping_batch_items');
    await queryRunner.query('DROP TABLE scraping_batch_stats');
  }
}
