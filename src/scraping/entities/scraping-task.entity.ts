import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { TaskKind, TaskState } from '../task-status.js';

/**
 * Accepted work and its figures: a single OS (kind `single`, one item) or a batch (up to
 * `BATCH_MAX_SIZE` items). Written with its items in one transaction before its job is queued; the
 * counters move in the same transaction as each OS. The view `scraping_batch_stats` (the
 * original's name) shows the batches.
 */
@Entity({ name: 'scraping_tasks' })
@Index('ix_tasks_user_kind_created_at', ['userId', 'kind', 'createdAt'])
@Index('ix_tasks_open', ['state'], { where: "state IN ('queued', 'throttled', 'running')" })
@Index('uq_tasks_user_idempotency_key', ['userId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class ScrapingTask {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: TaskKind;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** A batch's name; a single OS has none. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  /** Scraped inline by the API because Redis was down (`SCRAPER_INLINE_FALLBACK`). */
  @Column({ type: 'boolean', default: false })
  inline!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  state!: TaskState;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', default: 0 })
  succeeded!: number;

  @Column({ type: 'integer', default: 0 })
  failed!: number;

  @Column({ name: 'not_found', type: 'integer', default: 0 })
  notFound!: number;

  /** OS the target says exist but the account may not see. */
  @Column({ type: 'integer', default: 0 })
  forbidden!: number;

  @Column({ type: 'integer', default: 0 })
  cancelled!: number;

  /** Tries beyond the first, over all OS. */
  @Column({ type: 'integer', default: 0 })
  retries!: number;

  @Column({ name: 'path_http', type: 'integer', default: 0 })
  pathHttp!: number;

  @Column({ name: 'path_browser', type: 'integer', default: 0 })
  pathBrowser!: number;

  @Column({ name: 'path_robust', type: 'integer', default: 0 })
  pathRobust!: number;

  /** Sum of the per-OS times. */
  @Column({ name: 'total_duration_ms', type: 'bigint', default: 0 })
  totalDurationMs!: string;

  @Column({ name: 'avg_duration_ms', type: 'integer', nullable: true })
  avgDurationMs!: number | null;

  @Column({ name: 'p95_duration_ms', type: 'integer', nullable: true })
  p95DurationMs!: number | null;

  /** Times a worker started on it (more than one after a crash or recovery). */
  @Column({ type: 'integer', default: 0 })
  runs!: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
