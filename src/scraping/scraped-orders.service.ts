import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { ScrapePath } from '../stats/scrape-outcome.js';
import { contentHash } from './canonical-json.js';
import { ScrapedOrder } from './entities/scraped-order.entity.js';

/** The stored data of each OS, one row per OS number. */
@Injectable()
export class ScrapedOrdersService {
  constructor(@InjectRepository(ScrapedOrder) private readonly orders: Repository<ScrapedOrder>) {}

  /**
   * Inserts or refreshes an OS inside the caller's transaction; bumps `version` only on change.
   * `changed`: the content is new or differs from what was stored.
   */
  async upsert(
    manager: EntityManager,
    osNumber: string,
    data: Record<string, unknown>,
    path: ScrapePath,
  ): Promise<{ version: number; changed: boolean }> {
    const [row] = await manager.query<Array<{ version: number; changed: boolean }>>(
      `INSERT INTO scraped_orders (os_number, data, content_hash, last_path)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT uq_scraped_orders_os_number DO UPDATE SET
         data = EXCLUDED.data,
         content_hash = EXCLUDED.content_hash,
         last_path = EXCLUDED.last_path,
         last_scraped_at = now(),
         version = scraped_orders.version + (scraped_orders.content_hash <> EXCLUDED.content_hash)::int,
         last_changed_at = CASE WHEN scraped_orders.content_hash <> EXCLUDED.content_hash
                                THEN now() ELSE scraped_orders.last_changed_at END
       RETURNING version, last_changed_at = now() AS changed`,
      [osNumber, JSON.stringify(data), contentHash(data), path],
    );
    return { version: row!.version, changed: row!.changed };
  }

  findByNumber(osNumber: string): Promise<ScrapedOrder | null> {
    return this.orders.findOneBy({ osNumber });
  }

  findByNumbers(osNumbers: string[]): Promise<ScrapedOrder[]> {
    if (osNumbers.length === 0) return Promise.resolve([]);
    return this.orders
      .createQueryBuilder('o')
      .where('o.os_number = ANY(:numbers)', { numbers: osNumbers })
      .getMany();
  }
}
