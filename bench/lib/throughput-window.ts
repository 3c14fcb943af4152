import {
  cpuBetween,
  type CpuDelta,
  type ProcessSampler,
  type TreeSample,
} from './process-sampler.js';

export interface WindowResult {
  /** Items finished inside the window. */
  items: number;
  seconds: number;
  itemsPerSecond: number;
  cpu: CpuDelta;
  cpuMsPerItem: number;
}

/**
 * Measures a stream of `warmup + measured` items in steady state: the window opens when the
 * `warmup`-th item finishes (browser launched, pools filled, code warm) and closes with the last
 * one. Call `done()` once per finished item, whatever its outcome; it samples synchronously.
 */
export class ThroughputWindow {
  private finished = 0;
  private from?: TreeSample;
  private to?: TreeSample;

  constructor(
    private readonly sampler: ProcessSampler,
    readonly warmup: number,
    readonly measured: number,
  ) {
    if (measured < 1) throw new Error('a window needs at least one measured item');
  }

  /** Call before the first item starts (opens the window at once when there is no warm-up). */
  begin(): void {
    this.finished = 0;
    this.from = this.warmup === 0 ? this.sampler.sample() : undefined;
    this.to = undefined;
  }

  done(): void {
    this.finished += 1;
    if (this.finished === this.warmup) this.from = this.sampler.sample();
    if (this.finished === this.warmup + this.measured) this.to = this.sampler.sample();
  }

  get closed(): boolean {
    return this.to !== undefined;
  }

  result(): WindowResult {
    if (!this.from || !this.to) {
      throw new Error(
        `window not closed: ${this.finished} of ${this.warmup + this.measured} items finished`,
      );
    }
    const seconds = (this.to.at - this.from.at) / 1000;
    const cpu = cpuBetween(this.from, this.to);
    return {
      items: this.measured,
      seconds,
      itemsPerSecond: this.measured / seconds,
      cpu,
      cpuMsPerItem: cpu.totalMs / this.measured,
    };
  }
}
