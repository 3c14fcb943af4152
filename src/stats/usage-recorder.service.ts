import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ScrapingUsage } from './entities/scraping-usage.entity.js';
import type { ScrapeOutcome, ScrapePath } from './scrape-outcome.js';

export interface UsageRecord {
  userId: string;
  osNumber: string;
  batchId?: string | null;
  outcome: ScrapeOutcome;
  path: ScrapePath | null;
  attempts: number;
  durationMs: number;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Writes the usage row of an OS outcome inside the caller's transaction, so the data, the item
 * and its statistics are committed together or not at all.
 */
@Injectable()
export class UsageRecorder {
  async record(manager: EntityManager, usage: UsageRecord): Promise<void> {
    await manager.insert(ScrapingUsage, {
      userId: usage.userId,
      osNumber: usage.osNumber,
      batchId: usage.batchId ?? null,
      outcome: usage.outcome,
      path: usage.path,
      attempts: usage.attempts,
      durationMs: Math.max(0, Math.round(usage.durationMs)),
      errorCode: usage.errorCode ?? null,
      errorMessage: usage.errorMessage?.slice(0, 2_000) ?? null,
    });
  }
}
