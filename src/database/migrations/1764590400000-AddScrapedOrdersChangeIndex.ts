import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed (`GET /os?changed_since=`) pages through stored OS by
 * (last_changed_at, os_number): this index serves both the range and the keyset cursor.
 */
export class AddScrapedOrdersChangeIndex1764590400000 implements MigrationInterface {
  name = 'AddScrapedOrdersChangeIndex1764590400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX ix_scraped_orders_changed ON scraped_orders (last_changed_at, os_number)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_scraped_orders_changed');
  }
}
