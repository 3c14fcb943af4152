import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ShutdownInterruption } from './shutdown-interruption.js';

/** How a component stops taking work, and what it does when the grace period runs out. */
export interface DrainStep {
  /** Stop taking new work and resolve once the work in flight is done. */
  drain(): Promise<unknown>;
  /** Called when the grace period ends first: give up waiting. */
  force?(): Promise<unknown>;
}

/**
 * Graceful shutdown: on SIGTERM/SIGINT the process stops taking work, gives work in flight up to
 * `SHUTDOWN_GRACE_MS` to finish, and only then lets modules close their resources. Work still
 * running after the grace period is left to Bull's stalled-job recovery and the checkpoints in
 * PostgreSQL.
 */
@Injectable()
export class ShutdownCoordinator implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownCoordinator.name);
  private readonly steps = new Map<string, DrainStep>();
  private readonly controller = new AbortController();

  constructor(private readonly config: AppConfig) {}

  /** True once shutdown began: long-running work stops at its next checkpoint. */
  get isDraining(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborts (with a `ShutdownInterruption`) when shutdown begins: for waits that must not hold it up. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onDrain(name: string, step: DrainStep): void {
    this.steps.set(name, step);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.isDraining) return;
    this.controller.abort(new ShutdownInterruption());
    const grace = this.config.SHUTDOWN_GRACE_MS;
    this.logger.log(`Shutting down: draining for up to ${grace} ms`);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), grace);
    });
    const drained = Promise.allSettled(
      [...this.steps].map(async ([name, step]) => {
        await step.drain();
        this.logger.log(`${name} drained`);
      }),
    ).then(() => 'drained' as const);
    const outcome = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(
        'Grace period over with work still running: it will resume on another worker',
      );
      await Promise.allSettled([...this.steps.values()].map((step) => step.force?.()));
    }
  }
}
