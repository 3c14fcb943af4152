import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertRule } from '../alerts/alert-rule.js';

/** An alert: opened when a rule's condition holds, updated while it does, resolved after. */
@Entity({ name: 'scraping_alerts' })
@Index('uq_alerts_open_rule_subject', ['rule', 'subject'], {
  unique: true,
  where: "state = 'open'",
})
@Index('ix_alerts_opened_at', ['openedAt'])
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  rule!: AlertRule;

  /** What the alert is about: `global`, a queue name, a worker process id. */
  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 16, default: 'warning' })
  severity!: 'warning' | 'critical';

  @Column({ type: 'varchar', length: 16, default: 'open' })
  state!: 'open' | 'resolved';

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'double precision' })
  threshold!: number;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' })
  openedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt!: Date | null;

  @Column({ name: 'notify_attempts', type: 'integer', default: 0 })
  notifyAttempts!: number;
}
