import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsageStats1764316900000 implements MigrationInterface {
  name = 'CreateUsageStats1764316900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraping_usage_stats (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        os_number varchar(64) NOT NULL,
        batch_id uuid,
        outcome varchar(16) NOT NULL,
        path varchar(16),
        attempts smallint NOT NULL,
        duration_ms integer NOT NULL,
        error_code varchar(64),
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_usage_outcome CHECK (outcome IN ('success', 'not_found', 'failed')),
        CONSTRAINT ck_usage_path CHECK (path IS NULL OR path IN ('http', 'browser', 'robust'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_usage_created_at ON scraping_usage_stats (created_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_usage_user_created_at ON scraping_usage_stats (user_id, created_at)',
    );
    await queryRunner.query('CREATE INDEX ix_usage_os_number ON scraping_usage_stats (os_number)');
    await queryRunner.query(
      'CREATE INDEX ix_usage_batch_id ON scraping_usage_stats (batch_id) WHERE batch_id IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE scraping_usage_stats');
  }
}
