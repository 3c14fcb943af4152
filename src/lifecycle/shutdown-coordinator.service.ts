import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

type DrainStep = () => Promise<unknown>;

/**
 * Graceful shutdown: on SIGTERM/SIGINT the process stops taking work, gives work in flight up to
 * `SHUTDOWN_GRACE_MS` to finish, and only then lets modules close their resources. Work still
 * running after the grace period is left to Bull's stalled-job recovery and the batch checkpoints.
 */
@Injectable()
export class ShutdownCoordinator implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownCoordinator.name);
  private readonly steps = new Map<string, DrainStep>();
  private draining = false;

  constructor(private readonly config: AppConfig) {}

  /** True once shutdown began: long-running work should stop at its next checkpoint. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Registers what stops a component from taking new work and waits for its work in flight. */
  onDrain(name: string, step: DrainStep): void {
    this.steps.set(name, step);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const grace = this.config.SHUTDOWN_GRACE_MS;
    this.logger.log(
      `Shutting down${signal ? ` on ${signal}` : ''}: draining for up to ${grace} ms`,
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), grace);
    });
    const drained = Promise.allSettled(
      [...this.steps].map(async ([name, step]) => {
        await step();
        this.logger.log(`${name} drained`);
      }),
    ).then(() => 'drained' as const);
    const outcome = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn('Grace period over with work still running; it will be resumed elsewhere');
    }
  }
}
