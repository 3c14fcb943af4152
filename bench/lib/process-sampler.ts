import { descendantsOf, listProcesses, readProcStat } from './proc-stats.js';

/** CPU and memory of a process and its matching descendants at one moment. */
export interface TreeSample {
  /** `performance.now()` when taken. */
  at: number;
  /** utime + stime of the root process, in ms. */
  selfCpuMs: number;
  /**
   * CPU of the descendants, in ms: each live one's own plus what it reaped (renderers of closed
   * contexts), plus what the root reaped (a browser that was closed or recycled).
   */
  childCpuMs: number;
  selfRssBytes: number;
  childRssBytes: number;
  children: number;
}

export interface PeakMemory {
  /** Highest root + descendants RSS seen, and how it split at that moment. */
  rssBytes: number;
  selfRssBytes: number;
  childRssBytes: number;
  children: number;
}

export interface CpuDelta {
  totalMs: number;
  selfMs: number;
  childMs: number;
}

export interface ProcessSamplerOptions {
  /** Default: this process. */
  rootPid?: number;
  /** Which descendants count, by process name. Default: Chromium's (`chromium`, `chrome…`). */
  match?: RegExp;
  /** Period of the background memory sampling. Default 250 ms. */
  intervalMs?: number;
}

/**
 * Samples, from /proc, the CPU time and RSS of a process plus its Chromium descendants (or any
 * descendants `match` names). `start()` samples in the background to keep the peak RSS;
 * `sample()` reads once, synchronously, to mark the ends of a measured window.
 * RSS is summed per process, so pages shared between Chromium processes count more than once.
 */
export class ProcessSampler {
  readonly rootPid: number;
  private readonly match: RegExp;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private peakMemory: PeakMemory = { rssBytes: 0, selfRssBytes: 0, childRssBytes: 0, children: 0 };

  constructor(options: ProcessSamplerOptions = {}) {
    this.rootPid = options.rootPid ?? process.pid;
    this.match = options.match ?? /chrom/i;
    this.intervalMs = options.intervalMs ?? 250;
  }

  start(): this {
    if (!this.timer) {
      this.sample();
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the tree now and updates the peak. */
  sample(): TreeSample {
    const processes = listProcesses();
    const root = processes.find((stat) => stat.pid === this.rootPid) ?? readProcStat(this.rootPid);
    if (!root) throw new Error(`process ${this.rootPid} is gone`);
    const children = descendantsOf(this.rootPid, this.match, processes);
    let childCpuMs = root.reapedCpuMs;
    let childRssBytes = 0;
    for (const child of children) {
      childCpuMs += child.cpuMs + child.reapedCpuMs;
      childRssBytes += child.rssBytes;
    }
    const sample: TreeSample = {
      at: performance.now(),
      selfCpuMs: root.cpuMs,
      childCpuMs,
      selfRssBytes: root.rssBytes,
      childRssBytes,
      children: children.length,
    };
    if (root.rssBytes + childRssBytes > this.peakMemory.rssBytes) {
      this.peakMemory = {
        rssBytes: root.rssBytes + childRssBytes,
        selfRssBytes: root.rssBytes,
        childRssBytes,
        children: children.length,
      };
    }
    return sample;
  }

  /** The highest memory seen since the start (or the last `resetPeak`). */
  peak(): PeakMemory {
    return { ...this.peakMemory };
  }

  resetPeak(): void {
    this.peakMemory = { rssBytes: 0, selfRssBytes: 0, childRssBytes: 0, children: 0 };
  }
}

/** CPU spent between two samples of the same tree. */
export function cpuBetween(from: TreeSample, to: TreeSample): CpuDelta {
  const selfMs = to.selfCpuMs - from.selfCpuMs;
  const childMs = to.childCpuMs - from.childCpuMs;
  return { totalMs: selfMs + childMs, selfMs, childMs };
}
