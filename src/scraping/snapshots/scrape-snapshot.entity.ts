import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ScrapePath } from '../../stats/scrape-outcome.js';

/** The page of an OS that failed: HTML (scrubbed, capped) and, from a browser path, a PNG. */
@Entity({ name: 'scrape_snapshots' })
export class ScrapeSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  /** Tries on every path when the OS failed. */
  @Column({ type: 'integer' })
  attempts!: number;

  /** The path whose page this is. */
  @Column({ type: 'varchar', length: 16 })
  path!: ScrapePath;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ name: 'error_code', type: 'varchar', length: 32, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'bytea', select: false })
  html!: Buffer;

  /** Size of the page before it was cut to SNAPSHOT_MAX_HTML_BYTES. */
  @Column({ name: 'html_bytes', type: 'integer' })
  htmlBytes!: number;

  @Column({ name: 'html_truncated', type: 'boolean', default: false })
  htmlTruncated!: boolean;

  @Column({ type: 'bytea', nullable: true, select: false })
  screenshot!: Buffer | null;

  /** What the extractor made of the page (`SnapshotDiagnostics`): the values it could not read, and why. */
  @Column({ type: 'jsonb', nullable: true })
  diagnostics!: object | null;
}
