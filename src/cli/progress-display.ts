import cliProgress from 'cli-progress';
import type { ItemEventData, TaskStatus } from './api-schema.js';
import { formatDuration } from './format.js';

export interface BatchProgress {
  /** The batch's processed count, as the server reports it. */
  progress(processed: number): void;
  /** One OS finished. */
  item(item: ItemEventData): void;
  /** The batch ended. */
  done(status: TaskStatus): void;
}

export interface ProgressDisplayOptions {
  /** Where bars or lines go (the CLI keeps stdout for results and uses stderr). */
  stream: NodeJS.WriteStream;
  /** OS across every batch, for the overall bar. */
  total: number;
}

interface Counts {
  success: number;
  not_found: number;
  failed: number;
}

/**
 * One progress bar per batch and one overall with OS/s and ETA on a terminal; plain lines
 * (batch submitted, batch done, overall every 10 %) when the output is a file or a pipe.
 */
export class ProgressDisplay {
  private readonly startedAt = Date.now();
  private readonly processedByBatch = new Map<string, number>();
  private readonly multibar?: cliProgress.MultiBar;
  private readonly overall?: cliProgress.SingleBar;
  private readonly nameWidth = 13;
  private lastReportedTenth = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ProgressDisplayOptions) {
    if (options.stream.isTTY) {
      this.multibar = new cliProgress.MultiBar(
        {
          stream: options.stream,
          hideCursor: true,
          clearOnComplete: false,
          autopadding: true,
          // Narrow enough for an 80-column terminal with a name like Lote_10_de_10.
          barsize: 20,
          format: '{name} {bar} {value}/{total} | {detail}',
        },
        cliProgress.Presets.shades_classic,
      );
      this.overall = this.multibar.create(options.total, 0, this.overallPayload(0));
      // The speed and ETA move with time, not only with events.
      this.timer = setInterval(() => this.refreshOverall(), 1_000);
      this.timer.unref();
    }
  }

  /** A line above the bars (or a plain line). */
  log(line: string): void {
    if (this.multibar) this.multibar.log(`${line}\n`);
    else this.options.stream.write(`${line}\n`);
  }

  addBatch(key: string, name: string, total: number): BatchProgress {
    this.processedByBatch.set(key, 0);
    const counts: Counts = { success: 0, not_found: 0, failed: 0 };
    const seen = new Set<string>();
    const label =
      name.length > this.nameWidth ? name.slice(0, this.nameWidth) : name.padEnd(this.nameWidth);
    const bar = this.multibar?.create(total, 0, { name: label, detail: detailOf(counts) });
    if (!bar) this.log(`${name}: submitted (${total} OS, task ${key})`);
    const set = (processed: number) => {
      const value = Math.min(total, Math.max(processed, this.processedByBatch.get(key) ?? 0));
      this.processedByBatch.set(key, value);
      bar?.update(value, { detail: detailOf(counts) });
      this.refreshOverall();
    };
    return {
      progress: (processed) => set(Math.max(processed, seen.size)),
      item: (item) => {
        if (seen.has(item.os_number)) return;
        seen.add(item.os_number);
        if (item.outcome in counts) counts[item.outcome as keyof Counts] += 1;
        set(seen.size);
      },
      done: (status) => {
        counts.success = status.succeeded;
        counts.not_found = status.not_found;
        counts.failed = status.failed;
        set(status.processed);
        if (!bar) {
          this.log(
            `${name}: ${status.status}, ${status.processed}/${status.total} OS: ${detailOf(counts)}`,
          );
        }
      },
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.refreshOverall();
    this.multibar?.stop();
  }

  private get processed(): number {
    let sum = 0;
    for (const value of this.processedByBatch.values()) sum += value;
    return sum;
  }

  private overallPayload(processed: number): { name: string; detail: string; elapsed: string } {
    const elapsed = (Date.now() - this.startedAt) / 1_000;
    const rate = elapsed > 0 ? processed / elapsed : 0;
    const remaining = this.options.total - processed;
    const eta =
      remaining <= 0 ? 'done' : rate > 0 ? formatDuration((remaining / rate) * 1_000) : '-';
    return {
      name: 'total'.padEnd(this.nameWidth),
      detail: `${rate.toFixed(1)} OS/s | ETA ${eta}`,
      elapsed: formatDuration(elapsed * 1_000),
    };
  }

  private refreshOverall(): void {
    const processed = this.processed;
    const payload = this.overallPayload(processed);
    if (this.overall) {
      this.overall.update(processed, payload);
      return;
    }
    // Plain output: one overall line per 10 % step.
    const tenth = Math.floor((processed / Math.max(1, this.options.total)) * 10);
    if (tenth > this.lastReportedTenth) {
      this.lastReportedTenth = tenth;
      this.options.stream.write(
        `progress: ${processed}/${this.options.total} OS (${Math.round((processed / Math.max(1, this.options.total)) * 100)}%) | ${payload.detail} | elapsed ${payload.elapsed}\n`,
      );
    }
  }
}

function detailOf(counts: Counts): string {
  return `ok ${counts.success} · not found ${counts.not_found} · failed ${counts.failed}`;
}
