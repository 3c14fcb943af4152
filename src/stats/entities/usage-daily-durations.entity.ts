import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Duration histogram of all users per local day, outcome and path (see duration-histogram.ts). */
@Entity({ name: 'scraping_usage_daily_durations' })
export class UsageDailyDurations {
  @PrimaryColumn({ type: 'date' })
  day!: string;

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
