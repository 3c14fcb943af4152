import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { TaskRecoveryService } from '../../batch/task-recovery.service.js';
import { AppConfig } from '../../config/app-config.js';
import type { MaintenanceTask } from '../../queues/job-payloads.js';
import { QueueName } from '../../queues/queue-names.js';
import { SessionPool } from '../../scraping/session/session-pool.service.js';
import { FailureSnapshots } from '../../scraping/snapshots/failure-snapshots.service.js';
import { UsageRollupService } from '../../stats/usage-rollup.service.js';
import { AdminStatsService } from '../admin-stats.service.js';
import { AlertsService } from '../alerts/alerts.service.js';
import { OpenOsRefresher } from './open-os-refresher.service.js';

/** What each maintenance task does; each returns a small report that the run records. */
@Injectable()
export class MaintenanceTasksService {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QueueName.Scraping) scraping: Queue,
    @InjectQueue(QueueName.Batch) batch: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
    private readonly config: AppConfig,
    private readonly rollup: UsageRollupService,
    private readonly recovery: TaskRecoveryService,
    private readonly sessions: SessionPool,
    private readonly alerts: AlertsService,
    private readonly stats: AdminStatsService,
    private readonly snapshots: FailureSnapshots,
    private readonly openOs: OpenOsRefresher,
  ) {
    this.queues = [scraping, batch, maintenance];
  }

  async execute(task: MaintenanceTask): Promise<Record<string, unknown>> {
    switch (task) {
      case 'clean-jobs':
        return this.cleanJobs();
      case 'rollup-usage':
        return { ...(await this.rollup.rollUp()) };
      case 'recover-batches':
        return { ...(await this.recovery.recoverOrphans()) };
      case 'retire-sessions':
        return { sessions_retired: await this.sessions.retireStale() };
      case 'evaluate-alerts':
        return { ...(await this.alerts.evaluate()) };
      case 'refresh-figures':
        return this.refreshFigures();
      case 'refresh-open-os':
        return this.openOs.refresh();
    }
  }

  /** Recomputes the raw-row figures of the default dashboard and performance views. */
  private async refreshFigures(): Promise<Record<string, unknown>> {
    if (this.config.STATS_CACHE_SECONDS === 0) return { skipped: 'STATS_CACHE_SECONDS is 0' };
    await this.stats.rawFigures(30, true);
    await this.stats.performance(30, 'day', true);
    return { refreshed: ['dashboard-raw:30', 'performance:30:day'] };
  }

  /**
   * Removes finished jobs older than JOBS_RETENTION_DAYS from Redis (PostgreSQL keeps the history)
   * and failure snapshots older than SNAPSHOT_RETENTION_DAYS.
   */
  private async cleanJobs(): Promise<Record<string, unknown>> {
    const graceMs = this.config.JOBS_RETENTION_DAYS * 86_400_000;
    const removed: Record<string, number> = {};
    for (const queue of this.queues) {
      const completed = await queue.clean(graceMs, 'completed', 10_000);
      const failed = await queue.clean(graceMs, 'failed', 10_000);
      removed[queue.name] = completed.length + failed.length;
    }
    // Failure snapshots past SNAPSHOT_RETENTION_DAYS go with the old jobs.
    return { removed, snapshots_removed: await this.snapshots.purge() };
  }
}
