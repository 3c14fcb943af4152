import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Requests per OS number and local day, for the most queried OS. */
@Entity({ name: 'scraping_usage_os_daily' })
export class UsageOsDaily {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ type: 'integer' })
  requests!: number;

  /** When the latest of these requests ended. */
  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt!: Date;
}
