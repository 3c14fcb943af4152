import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ScrapeMetrics } from './scrape-metrics.service.js';
import { UsageRecorder } from '../stats/usage-recorder.service.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';
import type { ScrapeContext, ScrapeResult } from './scrape-result.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';

/** Marks the caller's own row (request or batch item) final; false if it already was. */
export type ClaimOutcome = (manager: EntityManager) => Promise<boolean>;

class AlreadyRecorded extends Error {}

/**
 * Commits one OS outcome: the caller's row (request or batch item), the data when read and the
 * usage row, in a single transaction. The caller's claim is conditional on the row still being
 * open, so an OS scraped twice (a stalled job run again) is recorded once.
 */
@Injectable()
export class ScrapeOutcomeWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: ScrapedOrdersService,
    private readonly usage: UsageRecorder,
    private readonly metrics: ScrapeMetrics,
  ) {}

  /** Returns false when the outcome had already been recorded (nothing was written). */
  async write(
    result: ScrapeResult,
    context: Pick<ScrapeContext, 'userId' | 'batchId'>,
    claim: ClaimOutcome,
  ): Promise<boolean> {
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await claim(manager))) throw new AlreadyRecorded();
        if (result.outcome === 'success' && result.data && result.path) {
          const stored = await this.orders.upsert(
            manager,
            result.osNumber,
            result.data,
            result.path,
          );
          // A first read is no change; a later read with other content is.
          if (stored.changed && stored.version > 1)
            await recordWebhookEvent(
              manager,
              'os.changed',
              { os_number: result.osNumber, version: stored.version },
              null,
            );
        }
        await this.usage.record(manager, {
          userId: context.userId,
          osNumber: result.osNumber,
          batchId: context.batchId ?? null,
          outcome: result.outcome,
          path: result.path,
          attempts: result.attempts,
          durationMs: result.durationMs,
          errorCode: result.errorCode ?? null,
          errorMessage: result.errorMessage ?? null,
        });
      });
      this.metrics.record(result);
      return true;
    } catch (error) {
      if (error instanceof AlreadyRecorded) return false;
      throw error;
    }
  }
}
