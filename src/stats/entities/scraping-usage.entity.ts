import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ScrapeOutcome, ScrapePath } from '../scrape-outcome.js';

/** One row per final outcome of one OS: what the statistics and the dashboard aggregate. */
@Entity({ name: 'scraping_usage_stats' })
// The migration makes this index covering (INCLUDE the columns the figures read); TypeORM
// cannot declare INCLUDE, so mind it when generating migrations.
@Index('ix_usage_created_at', ['createdAt'])
@Index('ix_usage_user_created_at', ['userId', 'createdAt'])
@Index('ix_usage_os_number', ['osNumber'])
@Index('ix_usage_batch_id', ['batchId'], { where: 'batch_id IS NOT NULL' })
export class ScrapingUsage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ScrapeOutcome;

  @Column({ type: 'varchar', length: 16, nullable: true })
  path!: ScrapePath | null;

  @Column({ type: 'smallint' })
  attempts!: number;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
