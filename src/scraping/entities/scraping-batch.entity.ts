import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { TaskState } from '../task-status.js';

/**
 * A batch and its figures (the original's `scraping_batch_stats`). Written with its items in one
 * transaction before its job is queued; the counters move in the same transaction as each OS.
 */
@Entity({ name: 'scraping_batch_stats' })
@Index('ix_batches_user_created_at', ['userId', 'createdAt'])
@Index('ix_batches_open', ['state'], { where: "state IN ('queued', 'throttled', 'running')" })
@Index('uq_batches_user_idempotency_key', ['userId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class ScrapingBatch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

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
