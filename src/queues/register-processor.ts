import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import type { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';

/**
 * Starts consuming `queue` with `concurrency` handlers (from config, which Bull's decorators
 * cannot read) and registers the graceful drain: stop taking jobs, let active ones finish, and
 * past the grace period close without waiting (stalled-job recovery takes over).
 */
export function registerProcessor<T>(
  queue: Queue<T>,
  concurrency: number,
  handler: (job: Job<T>) => Promise<unknown>,
  shutdown: ShutdownCoordinator,
): void {
  const logger = new Logger(`Queue:${queue.name}`);
  queue
    .process(concurrency, handler)
    .catch((error: Error) => logger.error(`processor stopped: ${error.message}`));
  shutdown.onDrain(`queue ${queue.name}`, {
    drain: () => queue.pause(true),
    force: () => queue.close(true),
  });
}
