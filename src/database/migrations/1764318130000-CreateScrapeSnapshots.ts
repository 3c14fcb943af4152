import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The page (HTML, and a PNG from a browser path) of an OS that failed, for admins; and the index
 * the layout-drift check reads the latest OS by.
 */
export class CreateScrapeSnapshots1764318130000 implements MigrationInterface {
  name = 'CreateScrapeSnapshots1764318130000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scrape_snapshots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        os_number varchar(64) NOT NULL,
        user_id uuid,
        batch_id uuid,
        attempts integer NOT NULL,
        path varchar(16) NOT NULL,
        url text,
        http_status integer,
        error_code varchar(32),
        error_message text,
        html bytea NOT NULL,
        html_bytes integer NOT NULL,
        html_truncated boolean NOT NULL DEFAULT false,
        screenshot bytea,
        diagnostics jsonb,
        CONSTRAINT ck_scrape_snapshots_path CHECK (path IN ('http', 'browser', 'robust'))
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_scrape_snapshots_created_at ON scrape_snapshots (created_at)',
    );
    await queryRunner.query(
      'CREATE INDEX ix_scrape_snapshots_batch ON scrape_snapshots (batch_id, os_number) WHERE batch_id IS NOT NULL',
    );
    // The layout-drift check reads the latest OS every minute.
    await queryRunner.query(
      'CREATE INDEX ix_scraped_orders_last_scraped_at ON scraped_orders (last_scraped_at DESC, id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_scraped_orders_last_scraped_at');
    await queryRunner.query('DROP TABLE scrape_snapshots');
  }
}
