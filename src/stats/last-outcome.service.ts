import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ScrapingUsage } from './entities/scraping-usage.entity.js';
import type { ScrapeOutcome } from './scrape-outcome.js';

export interface LastOutcome {
  outcome: ScrapeOutcome;
  checkedAt: Date;
}

/**
 * How an OS number last ended, from the usage rows every outcome writes (kept raw for
 * `USAGE_RAW_RETENTION_DAYS`): what tells "not found on the ERP" from "never read".
 */
@Injectable()
export class LastOutcomeService {
  constructor(@InjectRepository(ScrapingUsage) private readonly usage: Repository<ScrapingUsage>) {}

  async of(osNumber: string): Promise<LastOutcome | null> {
    const row = await this.usage.findOne({
      select: { outcome: true, createdAt: true },
      where: { osNumber },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return row ? { outcome: row.outcome, checkedAt: row.createdAt } : null;
  }
}
