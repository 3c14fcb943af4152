import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { OutcomeColumns } from '../../stats/entities/outcome-columns.js';
import type { ItemStatus } from '../task-status.js';

/** One OS of a task: its checkpoint. A re-run skips every item that is no longer pending. */
@Entity({ name: 'scraping_task_items' })
@Unique('uq_task_items_task_os', ['taskId', 'osNumber'])
@Index('ix_task_items_task_status', ['taskId', 'status'])
@Index('ix_task_items_running', ['startedAt'], { where: "status = 'running'" })
export class TaskItem extends OutcomeColumns('open') {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ItemStatus;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
