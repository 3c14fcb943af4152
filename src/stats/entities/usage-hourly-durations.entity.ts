import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Duration histogram of all users per hour, outcome and path (see duration-histogram.ts). */
@Entity({ name: 'scraping_usage_hourly_durations' })
export class UsageHourlyDurations {
  @PrimaryColumn({ type: 'timestamptz' })
  hour!: Date;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  outcome!: string;

  /** '' when no path produced the outcome. */
  @PrimaryColumn({ type: 'varchar', length: 16, default: '' })
  path!: string;

  @PrimaryColumn({ type: 'smallint' })
  bucket!: number;

  @Column({ type: 'integer' })
  requests!: number;
}
