import type { MigrationInterface, QueryRunner } from 'typeorm';

const OUTCOMES = "('success', 'not_found', 'failed', 'forbidden')";

/** Index and constraint names before → after; `down` renames them back. */
const RENAMES: Array<[kind: 'index' | 'constraint', table: string, from: string, to: string]> = [
  ['index', 'scraping_tasks', 'ix_batches_open', 'ix_tasks_open'],
  ['index', 'scraping_tasks', 'uq_batches_user_idempotency_key', 'uq_tasks_user_idempotency_key'],
  ['constraint', 'scraping_tasks', 'ck_batches_state', 'ck_tasks_state'],
  ['constraint', 'scraping_tasks', 'ck_batches_counts', 'ck_tasks_counts'],
  ['index', 'scraping_task_items', 'ix_batch_items_batch_status', 'ix_task_items_task_status'],
  ['index', 'scraping_task_items', 'ix_batch_items_running', 'ix_task_items_running'],
  ['constraint', 'scraping_task_items', 'uq_batch_items_batch_os', 'uq_task_items_task_os'],
  ['constraint', 'scraping_task_items', 'ck_batch_items_status', 'ck_task_items_status'],
];

/**
 * One task model: a single OS becomes a task of kind `single` with one item, in the tables that
 * held batches (renamed `scraping_tasks` and `scraping_task_items`). Every `scrape_requests` row is
 * carried over with its id, so queued jobs and clients' task ids stay valid.
 *
 * The old names stay readable as views: `scraping_batch_stats` and `scraping_batch_items` show
 * batches only and remain writable (PostgreSQL updates a one-table view in place; the check option
 * keeps rows written through them batches), and `scrape_requests` shows single-OS tasks, read-only.
 */
export class UnifyTasks1764700000000 implements MigrationInterface {
  name = 'UnifyTasks1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE scraping_batch_stats RENAME TO scraping_tasks');
    await queryRunner.query('ALTER TABLE scraping_batch_items RENAME TO scraping_task_items');
    await queryRunner.query('ALTER TABLE scraping_task_items RENAME COLUMN batch_id TO task_id');
    for (const [kind, table, from, to] of RENAMES) await rename(queryRunner, kind, table, from, to);
    await queryRunner.query(`
      ALTER TABLE scraping_tasks
        ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'batch',
        ADD COLUMN inline boolean NOT NULL DEFAULT false,
        ALTER COLUMN name DROP NOT NULL,
        ADD CONSTRAINT ck_tasks_kind CHECK (kind IN ('single', 'batch')),
        ADD CONSTRAINT ck_tasks_batch_name CHECK (kind = 'single' OR name IS NOT NULL)`);
    await queryRunner.query('DROP INDEX ix_batches_user_created_at');
    await queryRunner.query(
      'CREATE INDEX ix_tasks_user_kind_created_at ON scraping_tasks (user_id, kind, created_at)',
    );

    await queryRunner.query(`
      INSERT INTO scraping_tasks (
        id, kind, user_id, name, state, inline, total, processed, succeeded, failed, not_found,
        forbidden, retries, path_http, path_browser, path_robust, total_duration_ms,
        avg_duration_ms, p95_duration_ms, runs, created_at, started_at, finished_at, updated_at)
      SELECT id, 'single', user_id, NULL, state, inline, 1,
             (outcome IS NOT NULL)::int,
             (outcome IS NOT DISTINCT FROM 'success')::int,
             (outcome IS NOT DISTINCT FROM 'failed')::int,
             (outcome IS NOT DISTINCT FROM 'not_found')::int,
             (outcome IS NOT DISTINCT FROM 'forbidden')::int,
             CASE WHEN outcome IS NULL THEN 0 ELSE greatest(attempts - 1, 0) END,
             (outcome IS NOT NULL AND path IS NOT DISTINCT FROM 'http')::int,
             (outcome IS NOT NULL AND path IS NOT DISTINCT FROM 'browser')::int,
             (outcome IS NOT NULL AND path IS NOT DISTINCT FROM 'robust')::int,
             CASE WHEN outcome IS NULL THEN 0 ELSE coalesce(duration_ms, 0) END,
             CASE WHEN outcome IS NULL THEN NULL ELSE duration_ms END,
             CASE WHEN outcome IS NULL THEN NULL ELSE duration_ms END,
             (started_at IS NOT NULL)::int, created_at, started_at, finished_at,
             coalesce(finished_at, started_at, created_at)
        FROM scrape_requests`);
    await queryRunner.query(`
      INSERT INTO scraping_task_items (
        task_id, position, os_number, status, path, attempts, duration_ms, error_code,
        error_message, started_at, finished_at)
      SELECT id, 0, os_number,
             CASE WHEN outcome IS NOT NULL THEN outcome
                  WHEN state = 'running' THEN 'running'
                  WHEN state IN ('queued', 'throttled') THEN 'pending'
                  ELSE 'cancelled' END,
             path, attempts, duration_ms, error_code, error_message, started_at, finished_at
        FROM scrape_requests`);
    await queryRunner.query('DROP TABLE scrape_requests');

    await queryRunner.query(`
      CREATE VIEW scraping_batch_stats AS
        SELECT id, user_id, name, state, total, processed, succeeded, failed, not_found, forbidden,
               cancelled, retries, path_http, path_browser, path_robust, total_duration_ms,
               avg_duration_ms, p95_duration_ms, runs, idempotency_key, error_message, created_at,
               started_at, finished_at, updated_at
          FROM scraping_tasks WHERE kind = 'batch'
        WITH LOCAL CHECK OPTION`);
    await queryRunner.query(`
      CREATE VIEW scraping_batch_items AS
        SELECT id, task_id AS batch_id, position, os_number, status, path, attempts, duration_ms,
               error_code, error_message, started_at, finished_at
          FROM scraping_task_items i
         WHERE EXISTS (SELECT 1 FROM scraping_tasks t WHERE t.id = i.task_id AND t.kind = 'batch')
        WITH LOCAL CHECK OPTION`);
    await queryRunner.query(`
      CREATE VIEW scrape_requests AS
        SELECT t.id, t.user_id, i.os_number, t.state, t.inline,
               CASE WHEN i.status IN ${OUTCOMES} THEN i.status END AS outcome,
               i.path, i.attempts, i.duration_ms, i.error_code, i.error_message, t.created_at,
               t.started_at, t.finished_at
          FROM scraping_tasks t JOIN scraping_task_items i ON i.task_id = t.id
         WHERE t.kind = 'single'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP VIEW scrape_requests');
    await queryRunner.query('DROP VIEW scraping_batch_items');
    await queryRunner.query('DROP VIEW scraping_batch_stats');

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
        CONSTRAINT ck_scrape_requests_outcome CHECK (outcome IS NULL OR outcome IN ${OUTCOMES})
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_scrape_requests_user_created_at ON scrape_requests (user_id, created_at)',
    );
    await queryRunner.query(
      "CREATE INDEX ix_scrape_requests_open ON scrape_requests (state) WHERE state IN ('queued', 'throttled', 'running')",
    );
    await queryRunner.query(`
      INSERT INTO scrape_requests (
        id, user_id, os_number, state, inline, outcome, path, attempts, duration_ms, error_code,
        error_message, created_at, started_at, finished_at)
      SELECT t.id, t.user_id, i.os_number, t.state, t.inline,
             CASE WHEN i.status IN ${OUTCOMES} THEN i.status END,
             i.path, i.attempts, i.duration_ms, i.error_code, i.error_message, t.created_at,
             t.started_at, t.finished_at
        FROM scraping_tasks t JOIN scraping_task_items i ON i.task_id = t.id
       WHERE t.kind = 'single'`);
    // Their items go with them (ON DELETE CASCADE).
    await queryRunner.query("DELETE FROM scraping_tasks WHERE kind = 'single'");

    await queryRunner.query('DROP INDEX ix_tasks_user_kind_created_at');
    await queryRunner.query(
      'CREATE INDEX ix_batches_user_created_at ON scraping_tasks (user_id, created_at)',
    );
    await queryRunner.query(`
      ALTER TABLE scraping_tasks
        DROP CONSTRAINT ck_tasks_batch_name,
        DROP CONSTRAINT ck_tasks_kind,
        ALTER COLUMN name SET NOT NULL,
        DROP COLUMN inline,
        DROP COLUMN kind`);
    for (const [kind, table, from, to] of [...RENAMES].reverse())
      await rename(queryRunner, kind, table, to, from);
    await queryRunner.query('ALTER TABLE scraping_task_items RENAME COLUMN task_id TO batch_id');
    await queryRunner.query('ALTER TABLE scraping_task_items RENAME TO scraping_batch_items');
    await queryRunner.query('ALTER TABLE scraping_tasks RENAME TO scraping_batch_stats');
  }
}

async function rename(
  queryRunner: QueryRunner,
  kind: 'index' | 'constraint',
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await queryRunner.query(
    kind === 'index'
      ? `ALTER INDEX ${from} RENAME TO ${to}`
      : `ALTER TABLE ${table} RENAME CONSTRAINT ${from} TO ${to}`,
  );
}
