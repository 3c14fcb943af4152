import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { toTaskStatus } from '../scraping/task-status.js';
import { BatchStore } from '../batch/batch-store.service.js';
import { AppConfig } from '../config/app-config.js';
import { TaskStore } from '../scraping/task-store.service.js';
import { UsageQueriesService } from '../stats/usage-queries.service.js';
import { UserQuotasService } from './user-quotas.service.js';

const DAYS = 30;

/** A user's own usage: totals, per day, recent batches and what is left of this hour's quotas. */
@Injectable()
export class UserStatisticsService {
  constructor(
    private readonly usage: UsageQueriesService,
    private readonly quotas: UserQuotasService,
    private readonly batches: BatchStore,
    private readonly tasks: TaskStore,
    private readonly config: AppConfig,
  ) {}

  async forUser(user: AuthenticatedUser) {
    const window = await this.usage.window(DAYS);
    const [totals, perDay, recent, quotas, osWaiting, batchesWaiting] = await Promise.all([
      this.usage.totals(window, user.id),
      this.usage.perDay(window, user.id),
      this.batches.recent(user.id, 5),
      this.quotas.hourly(user.id),
      this.tasks.countOpen('single', user.id),
      this.tasks.countOpen('batch', user.id),
    ]);
    return {
      user: { id: user.id, username: user.username },
      period: { days: DAYS, from: window.fromDay, to: window.toDay, timezone: window.timezone },
      totals: {
        total: totals.total,
        success: totals.success,
        not_found: totals.not_found,
        forbidden: totals.forbidden,
        failed: totals.failed,
        success_rate:
          totals.total === 0 ? 0 : Math.round((totals.success / totals.total) * 1000) / 10,
        avg_processing_time: Math.round(totals.avg_duration_ms) / 1000,
        retries: totals.retries,
      },
      per_day: perDay.map((day) => ({
        date: day.day,
        total: day.total,
        success: day.success,
        not_found: day.not_found,
        forbidden: day.forbidden,
        failed: day.failed,
      })),
      recent_batches: recent.map((batch) => toTaskStatus(batch, null)),
      quotas: {
        ...quotas,
        backlog: {
          os_waiting: osWaiting,
          os_cap: this.config.SCRAPE_BACKLOG_CAP,
          batches_waiting: batchesWaiting,
          batches_cap: this.config.BATCH_BACKLOG_CAP,
        },
      },
    };
  }
}
