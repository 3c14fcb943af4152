import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { ShutdownCoordinator } from '../../lifecycle/shutdown-coordinator.service.js';
import type { MaintenanceJobData } from '../../queues/job-payloads.js';
import { QueueConsumer } from '../../queues/queue-consumer.js';
import { QueueName } from '../../queues/queue-names.js';
import { MaintenanceService } from './maintenance.service.js';

/** Consumes the `maintenance` queue (concurrency 1). */
@Injectable()
export class MaintenanceProcessor extends QueueConsumer<MaintenanceJobData> {
  constructor(
    @InjectQueue(QueueName.Maintenance) queue: Queue<MaintenanceJobData>,
    config: AppConfig,
    private readonly maintenance: MaintenanceService,
    shutdown: ShutdownCoordinator,
  ) {
    super(queue, QueueName.Maintenance, config, shutdown);
  }

  async process(job: Job<MaintenanceJobData>): Promise<{ run: string }> {
    const { task, requestedBy } = job.data;
    const run = await this.maintenance.run(task, String(job.id), requestedBy ?? 'schedule');
    return { run: run.id };
  }
}
