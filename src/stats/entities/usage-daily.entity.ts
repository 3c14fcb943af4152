import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Usage rolled up per local day, user, outcome and path (complete hours; the last day may be partial). */
@Entity({ name: 'scraping_usage_daily' })
export class UsageDaily {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  outcome!: string;

  /** '' when no path produced the outcome. */
  @PrimaryColumn({ type: 'varchar', length: 16, default: '' })
  path!: string;

  @Column({ type: 'integer' })
  requests!: number;

  @Column({ name: 'duration_ms_sum', type: 'bigint' })
  durationMsSum!: string;

  @Column({ name: 'attempts_sum', type: 'bigint' })
  attemptsSum!: string;

  /** When the latest of these uses ended. */
  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt!: Date;
}
