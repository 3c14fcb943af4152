import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../../config/app-config.js';
import { ShutdownCoordinator } from '../../lifecycle/shutdown-coordinator.service.js';
import type { MaintenanceJobData } from '../../queues/job-payloads.js';
import { QueueName } from '../../queues/queue-names.js';
import { queueConcurrency } from '../../queues/queue-options.js';
import { registerProcessor } from '../../queues/register-processor.js';
import { MaintenanceService } from './maintenance.service.js';

/** Consumes the `maintenance` queue (concurrency 1). */
@Injectable()
export class MaintenanceProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue<MaintenanceJobData>,
    private readonly config: AppConfig,
    private readonly maintenance: MaintenanceService,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  onModuleInit(): void {
    registerProcessor(
      this.queue,
      queueConcurrency(QueueName.Maintenance, this.config),
      (job) => this.process(job),
      this.shutdown,
    );
  }

  async process(job: Job<MaintenanceJobData>): Promise<{ run: string }> {
    const { task, requestedBy } = job.data;
    const run = await this.maintenance.run(task, String(job.id), requestedBy ?? 'schedule');
    return { run: run.id };
  }
}
