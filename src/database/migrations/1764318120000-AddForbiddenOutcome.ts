import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcome `forbidden`: the target shows the OS exists but the account may not see it. The
 * outcome checks accept it and batches count it beside `not_found`.
 */
export class AddForbiddenOutcome1764318120000 implements MigrationInterface {
  name = 'AddForbiddenOutcome1764318120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE scraping_usage_stats DROP CONSTRAINT ck_usage_outcome,
        ADD CONSTRAINT ck_usage_outcome CHECK (outcome IN ('success', 'not_found', 'failed', 'forbidden'))`);
    await queryRunner.query(`
      ALTER TABLE scrape_requests DROP CONSTRAINT ck_scrape_requests_outcome,
        ADD CONSTRAINT ck_scrape_requests_outcome
          CHECK (outcome IS NULL OR outcome IN ('success', 'not_found', 'failed', 'forbidden'))`);
    await queryRunner.query(`
      ALTER TABLE scraping_batch_items DROP CONSTRAINT ck_batch_items_status,
        ADD CONSTRAINT ck_batch_items_status
          CHECK (status IN ('pending', 'running', 'success', 'not_found', 'failed', 'forbidden', 'cancelled'))`);
    await queryRunner.query(
      'ALTER TABLE scraping_batch_stats ADD COLUMN forbidden integer NOT NULL DEFAULT 0',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE scraping_batch_stats DROP COLUMN forbidden');
    await queryRunner.query(`
      ALTER TABLE scraping_batch_items DROP CONSTRAINT ck_batch_items_status,
        ADD CONSTRAINT ck_batch_items_status
          CHECK (status IN ('pending', 'running', 'success', 'not_found', 'failed', 'cancelled'))`);
    await queryRunner.query(`
      ALTER TABLE scrape_requests DROP CONSTRAINT ck_scrape_requests_outcome,
        ADD CONSTRAINT ck_scrape_requests_outcome
          CHECK (outcome IS NULL OR outcome IN ('success', 'not_found', 'failed'))`);
    await queryRunner.query(`
      ALTER TABLE scraping_usage_stats DROP CONSTRAINT ck_usage_outcome,
        ADD CONSTRAINT ck_usage_outcome CHECK (outcome IN ('success', 'not_found', 'failed'))`);
  }
}
