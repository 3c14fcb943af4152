import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { OutcomeColumns } from '../../stats/entities/outcome-columns.js';
import type { ItemStatus } from '../task-status.js';

/** One OS of a batch: its checkpoint. A re-run skips every item that is no longer pending. */
@Entity({ name: 'scraping_batch_items' })
@Unique('uq_batch_items_batch_os', ['batchId', 'osNumber'])
@Index('ix_batch_items_batch_status', ['batchId', 'status'])
@Index('ix_batch_items_running', ['startedAt'], { where: "status = 'running'" })
export class BatchItem extends OutcomeColumns('open') {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ItemStatus;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
