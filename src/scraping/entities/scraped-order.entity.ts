import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ScrapePath } from '../../stats/scrape-outcome.js';

/** The latest data read for one OS; `version` moves only when the content changes. */
@Entity({ name: 'scraped_orders' })
@Unique('uq_scraped_orders_os_number', ['osNumber'])
export class ScrapedOrder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'os_number', type: 'varchar', length: 64 })
  osNumber!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  /** SHA-256 of the canonical JSON of `data`. */
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'last_path', type: 'varchar', length: 16 })
  lastPath!: ScrapePath;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt!: Date;

  @Column({ name: 'last_scraped_at', type: 'timestamptz', default: () => 'now()' })
  lastScrapedAt!: Date;

  @Column({ name: 'last_changed_at', type: 'timestamptz', default: () => 'now()' })
  lastChangedAt!: Date;
}
