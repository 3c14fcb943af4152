import { Column } from 'typeorm';
import type { ScrapePath } from '../scrape-outcome.js';

/**
 * The columns of one OS's outcome, declared once for every table that records one: a single-OS
 * request and a batch item (`open`: written before the outcome is known, so the figures wait
 * empty) and a usage row (`final`: written with the outcome, so attempts and time are required).
 */
export function OutcomeColumns(kind: 'open' | 'final') {
  const open = kind === 'open';

  abstract class Columns {
    @Column({ name: 'os_number', type: 'varchar', length: 64 })
    osNumber!: string;

    /** The path that produced the outcome (the last one tried when it failed). */
    @Column({ type: 'varchar', length: 16, nullable: true })
    path!: ScrapePath | null;

    /** Every try on every path. */
    @Column({ type: 'smallint', ...(open ? { default: 0 } : {}) })
    attempts!: number;

    @Column({ name: 'duration_ms', type: 'integer', nullable: open })
    durationMs!: number | null;

    @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
    errorCode!: string | null;

    @Column({ name: 'error_message', type: 'text', nullable: true })
    errorMessage!: string | null;
  }
  return Columns;
}
