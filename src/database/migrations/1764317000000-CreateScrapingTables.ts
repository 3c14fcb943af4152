import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateScrapingTables1764317000000 implements MigrationInterface {
  name = 'CreateScrapingTables1764317000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scraped_orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        os_number varchar(64) NOT NULL,
        data jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        version integer NOT NULL DEFAULT 1,
        last_path varchar(16) NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_scraped_at timestamptz NOT NULL DEFAULT now(),
        last_changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_scraped_orders_os_number UNIQUE (os_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE scrape_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        os_number varchar(64) NOT NULL,
        state varchar(16) NOT NULL DEFAULT 'queued',
        inline boolean NOT NULL DEFAULT false,
        outcome varchar(16),
        path varchar(16),
        attempts smallint NOT NULL DEFAULT 0,
        duration_ms integer,
        error_code varchar(64),
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT ck_scrape_requests_state
          CHECK (state IN ('queued', 'throttled', 'running', 'completed', 'failed', 'cancelled')),
        CONSTRAINT ck_scrape_requests_outcome CHECK (outcome IS NULL OR outcome IN ('success', 'not_found', 'failed'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_scrape_requests_user_created_at ON scrape_requests (user_id, created_at)',
    );
    await queryRunner.query(
      "CREATE INDEX ix_scrape_requests_open ON scrape_requests (state) WHERE state IN ('queued', 'throttled', 'running')",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE scrape_requests');
    await queryRunner.query('DROP TABLE scraped_orders');
  }
}
