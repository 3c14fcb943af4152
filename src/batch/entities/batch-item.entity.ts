import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ScrapePath } from '../../stats/scrape-outcome.js';
import type { ItemStatus } from '../../scraping/task-status.js';

/** One OS of a batch: its checkpoint. A re-run skips every item that is no longer pending. */
@Entity({ name: 'scraping_batch_items' })
@Unique('uq_batch_items_batch_os', ['batchId', 'osNumber'])
@Index('ix_batch_items_batch_status', ['batchId', 'status'])
@Index('ix_batch_items_running', ['startedAt'], { where: "status = 'running'" })
export class BatchItem {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ItemStatus;

  @Column({ type: 'varchar', length: 16, nullable: true })
  path!: ScrapePath | null;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
