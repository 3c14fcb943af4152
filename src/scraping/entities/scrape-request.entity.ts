import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OutcomeColumns } from '../../stats/entities/outcome-columns.js';
import type { ScrapeOutcome } from '../../stats/scrape-outcome.js';
import type { TaskState } from '../task-status.js';

/**
 * One OS asked for on its own. Written before its job is enqueued, so an accepted request
 * always ends with a recorded outcome, whatever happens to the queue.
 */
@Entity({ name: 'scrape_requests' })
@Index('ix_scrape_requests_user_created_at', ['userId', 'createdAt'])
@Index('ix_scrape_requests_open', ['state'], {
  where: "state IN ('queued', 'throttled', 'running')",
})
export class ScrapeRequest extends OutcomeColumns('open') {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  state!: TaskState;

  /** Scraped inline by the API because Redis was down (`SCRAPER_INLINE_FALLBACK`). */
  @Column({ type: 'boolean', default: false })
  inline!: boolean;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: ScrapeOutcome | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
