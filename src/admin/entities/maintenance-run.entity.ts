import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MaintenanceTask } from '../../queues/job-payloads.js';

/** One run of a maintenance task: what it did, how long it took, or why it failed. */
@Entity({ name: 'maintenance_runs' })
@Index('ix_maintenance_runs_task_started', ['task', 'startedAt'])
export class MaintenanceRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  task!: MaintenanceTask;

  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId!: string;

  /** `schedule`, or the admin who asked for it. */
  @Column({ name: 'triggered_by', type: 'varchar', length: 64 })
  triggeredBy!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'success' | 'failed';

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;
}
