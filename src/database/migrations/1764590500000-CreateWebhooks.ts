import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks per user and their deliveries. A delivery row is the outbox: written in the transaction
 * where the event happens, then sent by the `webhooks` queue; `generation` moves on redelivery so
 * the queue's job id (`<id>:<generation>`) is new.
 */
export class CreateWebhooks1764590500000 implements MigrationInterface {
  name = 'CreateWebhooks1764590500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        url text NOT NULL,
        events text[] NOT NULL,
        secret varchar(128) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_webhooks_user ON webhooks (user_id, created_at)');
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event varchar(32) NOT NULL,
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        generation integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at)',
    );
    await queryRunner.query(
      `CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE webhook_deliveries');
    await queryRunner.query('DROP TABLE webhooks');
  }
}
