import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { enqueue } from '../../queues/enqueue.js';
import type { ScrapingJobData } from '../../queues/job-payloads.js';
import { JobPriority } from '../../queues/job-priority.js';
import { QueueName } from '../../queues/queue-names.js';
import { TaskStore } from '../../scraping/task-store.service.js';
import { TargetDefinition } from '../../scraping/target/target-definition.js';

/**
 * Keeps open OS fresh: queues single-OS re-reads of stored OS whose status (profile `freshness`)
 * is not final and whose last read is older than `max_age_minutes`, oldest first, behind user work.
 */
@Injectable()
export class OpenOsRefresher {
  constructor(
    @InjectQueue(QueueName.Scraping) private readonly queue: Queue<ScrapingJobData>,
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
    private readonly tasks: TaskStore,
    private readonly db: DataSource,
  ) {}

  async refresh(): Promise<Record<string, unknown>> {
    const freshness = this.target.profile.freshness;
    if (!freshness) return { skipped: 'the profile has no freshness block' };
    const limit = this.config.FRESHNESS_MAX_OS_PER_RUN;
    if (limit === 0) return { skipped: 'FRESHNESS_MAX_OS_PER_RUN is 0' };
    // Each re-read is an ordinary request row, and those belong to a user (user_id references
    // users). The re-reads run as the oldest active admin: they stay visible to admins like any
    // request, and Bull's per-user limiter caps them apart from everyone else's work.
    const [owner] = await this.db.query<Array<{ id: string }>>(
      "SELECT id FROM users WHERE role = 'admin' AND active ORDER BY created_at LIMIT 1",
    );
    if (!owner) return { skipped: 'no active admin to own the re-reads' };
    const due = await this.db.query<Array<{ os_number: string }>>(
      `SELECT o.os_number FROM scraped_orders o
       WHERE NOT COALESCE(o.data ->> $1 = ANY($2::text[]), false)
         AND o.last_scraped_at < now() - CAST($3 AS int) * interval '1 minute'
         AND NOT EXISTS (SELECT 1 FROM scraping_task_items i
                         WHERE i.os_number = o.os_number AND i.status IN ('pending', 'running'))
       ORDER BY o.last_scraped_at, o.os_number
       LIMIT $4`,
      [freshness.status_field, freshness.final_values, freshness.max_age_minutes, limit],
    );
    const queued: string[] = [];
    for (const { os_number: osNumber } of due) {
      const request = await this.tasks.create({ kind: 'single', userId: owner.id, osNumber });
      try {
        await enqueue(
          this.queue,
          { taskId: request.id, userId: owner.id, osNumber },
          { jobId: request.id, priority: JobPriority.Background },
        );
      } catch (error) {
        await this.tasks.discard(request.id);
        throw error;
      }
      queued.push(osNumber);
    }
    return { queued: queued.length, os_numbers: queued.slice(0, 20) };
  }
}
