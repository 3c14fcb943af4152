import { Injectable } from '@nestjs/common';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import { ShutdownInterruption } from '../lifecycle/shutdown-interruption.js';
import { OsScraperService } from './os-scraper.service.js';
import { ScrapeError } from './scrape-errors.js';
import { ScrapeOutcomeWriter, type TaskItemRef } from './scrape-outcome.writer.js';
import type { ScrapeResult } from './scrape-result.js';
import { FailureSnapshots } from './snapshots/failure-snapshots.service.js';

/** One OS of a task to read, and where its outcome goes. */
export interface WorkItem {
  osNumber: string;
  ref: TaskItemRef;
}

/** What the loop needs from a task: its items, and what to do around each one. */
export interface TaskRun {
  /** OS in flight at once: `BATCH_GROUP_SIZE` for a batch, one for a single OS. */
  window: number;
  /** The next items to read, at most `free` of them (and marked running). */
  take(free: number): Promise<WorkItem[]>;
  /** True when the task was cancelled: items in flight finish, no new one starts. */
  cancelled?(): Promise<boolean>;
  /** Puts an item whose read was interrupted by shutdown back to waiting. */
  release?(item: WorkItem): Promise<void>;
  /** After an item's outcome is known; `recorded` is false when it had been recorded before. */
  onOutcome?(item: WorkItem, result: ScrapeResult, recorded: boolean): Promise<void>;
  /** After each item ends, whatever its outcome (progress reports). */
  onSettled?(): Promise<void>;
}

/**
 * The one worker loop of every task: a sliding window of `window` OS in flight, where a new one
 * starts as soon as one ends, so one slow OS never holds the others back. Each OS is read (with a
 * failure snapshot around it) and its outcome written once by `ScrapeOutcomeWriter`. A single OS
 * is a task with one item and a window of one.
 */
@Injectable()
export class TaskWorker {
  constructor(
    private readonly scraper: OsScraperService,
    private readonly snapshots: FailureSnapshots,
    private readonly writer: ScrapeOutcomeWriter,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  /**
   * Works until no item is left. Throws the first failure once the items in flight have ended,
   * and `ShutdownInterruption` when shutdown stopped it (the task resumes on another run).
   */
  async run(task: TaskRun): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let interrupted = false;
    let failure: unknown;
    for (;;) {
      const stop =
        this.shutdown.isDraining ||
        interrupted ||
        failure !== undefined ||
        ((await task.cancelled?.()) ?? false);
      const free = stop ? 0 : task.window - inFlight.size;
      const items = free > 0 ? await task.take(free) : [];
      for (const item of items) {
        const running: Promise<void> = this.readOne(task, item)
          .then((wasInterrupted) => {
            if (wasInterrupted) interrupted = true;
          })
          .catch((error: unknown) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
      await task.onSettled?.();
    }
    if (failure !== undefined) throw failure;
    if (interrupted || this.shutdown.isDraining) throw new ShutdownInterruption();
  }

  /** Reads and records one OS; true when shutdown interrupted it (the item goes back). */
  private async readOne(task: TaskRun, item: WorkItem): Promise<boolean> {
    const { userId } = item.ref;
    const context = item.ref.kind === 'batch' ? { userId, batchId: item.ref.taskId } : { userId };
    let result: ScrapeResult;
    try {
      result = await this.snapshots.around(context, () =>
        this.scraper.scrape(item.osNumber, { ...context, signal: this.shutdown.signal }),
      );
    } catch (error) {
      await task.release?.(item);
      if (error instanceof ScrapeError && error.code === 'cancelled') return true;
      throw error;
    }
    const recorded = await this.writer.write(result, item.ref);
    await task.onOutcome?.(item, result, recorded);
    return false;
  }
}
