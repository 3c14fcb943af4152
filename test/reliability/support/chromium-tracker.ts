import { readFileSync } from 'node:fs';
import { chromiumDescendants } from '../../support/processes.js';

/**
 * Remembers every Chromium process ever seen under the watched worker processes (sampled from
 * /proc), so that after the workers are gone — stopped, or killed with SIGKILL — the test can
 * tell whether any of them outlived its worker.
 */
export class ChromiumTracker {
  private readonly seen = new Set<number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly rootPids: () => number[]) {}

  start(intervalMs = 200): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): number[] {
    const now = this.rootPids().flatMap((pid) => chromiumDescendants(pid));
    for (const pid of now) this.seen.add(pid);
    return now;
  }

  get seenCount(): number {
    return this.seen.size;
  }

  /** Chromium processes seen at some point that still run. */
  alive(): number[] {
    return [...this.seen].filter(isChromium);
  }
}

function isChromium(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // A zombie has exited; only its parent has not reaped it yet.
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return /chrom/i.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))) && state !== 'Z';
  } catch {
    return false;
  }
}
