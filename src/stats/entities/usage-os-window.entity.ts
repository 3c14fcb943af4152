import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Requests per OS number over the last `days` local days up to the roll-up watermark, kept
 * current by the roll-up (the first day it holds is `os_window_from:<days>` in the roll-up state).
 */
@Entity({ name: 'scraping_usage_os_window' })
export class UsageOsWindow {
  @PrimaryColumn({ type: 'smallint' })
  days!: number;

  @PrimaryColumn({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ type: 'integer' })
  requests!: number;

  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt!: Date;
}
