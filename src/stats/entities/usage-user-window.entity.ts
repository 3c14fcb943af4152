import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Usage per user and outcome over the last `days` local days up to the roll-up watermark, kept
 * current by the roll-up (the first day it holds is `user_window_from:<days>` in the roll-up state).
 */
@Entity({ name: 'scraping_usage_user_window' })
export class UsageUserWindow {
  @PrimaryColumn({ type: 'smallint' })
  days!: number;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  outcome!: string;

  @Column({ type: 'integer' })
  requests!: number;

  @Column({ name: 'duration_ms_sum', type: 'bigint' })
  durationMsSum!: string;

  @Column({ name: 'attempts_sum', type: 'bigint' })
  attemptsSum!: string;

  @Column({ name: 'last_at', type: 'timestamptz' })
  lastAt!: Date;
}
