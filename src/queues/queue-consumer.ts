import type { OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import type { AppConfig } from '../config/app-config.js';
import type { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import type { QueueName } from './queue-names.js';
import { queueConcurrency } from './queue-options.js';
import { registerProcessor } from './register-processor.js';

/**
 * The startup every queue processor shares: at module init it consumes its queue with the
 * configured concurrency and joins the graceful drain. A subclass only says how to `process`.
 */
export abstract class QueueConsumer<T> implements OnModuleInit {
  protected constructor(
    private readonly queue: Queue<T>,
    private readonly queueName: QueueName,
    private readonly queueConfig: AppConfig,
    private readonly drain: ShutdownCoordinator,
  ) {}

  onModuleInit(): void {
    registerProcessor(
      this.queue,
      queueConcurrency(this.queueName, this.queueConfig),
      (job) => this.process(job),
      this.drain,
    );
  }

  abstract process(job: Job<T>): Promise<unknown>;
}
