import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Usage of all users rolled up per hour, outcome and path (complete hours only). */
@Entity({ name: 'scraping_usage_hourly' })
export class UsageHourly {
  @PrimaryColumn({ type: 'timestamptz' })
  hour!: Date;

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
}
