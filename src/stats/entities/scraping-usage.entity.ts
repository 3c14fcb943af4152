import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ScrapeOutcome } from '../scrape-outcome.js';
import { OutcomeColumns } from './outcome-columns.js';

/** One row per final outcome of one OS: what the statistics and the dashboard aggregate. */
@Entity({ name: 'scraping_usage_stats' })
// The migration makes this index covering (INCLUDE the columns the figures read); TypeORM
// cannot declare INCLUDE, so mind it when generating migrations.
@Index('ix_usage_created_at', ['createdAt'])
@Index('ix_usage_user_created_at', ['userId', 'createdAt'])
@Index('ix_usage_os_number', ['osNumber'])
@Index('ix_usage_batch_id', ['batchId'], { where: 'batch_id IS NOT NULL' })
export class ScrapingUsage extends OutcomeColumns('final') {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ScrapeOutcome;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
