/** What the tuner sees of one interval. */
export interface TunerSample {
  /** Share of the machine's CPU time that was busy (0–1), or throttled by the container's quota. */
  cpuBusy: number;
  /** Some browser scrape had to wait for a place during the interval: more would have run. */
  waited: boolean;
}

/** Busier than this, the cores are the limit: another context only queues on them. */
export const SATURATED_CPU = 0.95;
/** Under this, with scrapes waiting, the cores have room for another context. */
export const SPARE_CPU = 0.85;
/** Saturated intervals in a row before a context is taken away (one busy moment is not a trend). */
export const SATURATED_INTERVALS = 2;

/**
 * `SCRAPER_MAX_CONTEXTS=auto`: how many browser scrapes may run at once, moved one step per
 * interval between `floor` (one per core) and `ceiling` (what the memory holds). A browser scrape
 * alternates between the cores (Chromium rendering, the extractor) and the target (its answer):
 * against a fast target a few contexts fill the cores and more only wait for them, adding a
 * renderer each (about 80 MB); against a slow one, more contexts keep the cores busy while others
 * wait on the target. So: fewer while the cores stay saturated, more while the cores have room
 * and scrapes are waiting, as TCP-like limiters do, with the CPU as the signal.
 */
export class ContextTuner {
  private saturatedRun = 0;
  private current: number;

  constructor(
    readonly floor: number,
    readonly ceiling: number,
    start: number,
  ) {
    this.current = Math.min(ceiling, Math.max(floor, start));
  }

  get capacity(): number {
    return this.current;
  }

  /** Takes one interval's reading; returns the capacity for the next. */
  observe(sample: TunerSample): number {
    if (sample.cpuBusy >= SATURATED_CPU) {
      this.saturatedRun += 1;
      if (this.saturatedRun >= SATURATED_INTERVALS && this.current > this.floor) {
        this.current -= 1;
        this.saturatedRun = 0;
      }
    } else {
      this.saturatedRun = 0;
      if (sample.cpuBusy < SPARE_CPU && sample.waited && this.current < this.ceiling)
        this.current += 1;
    }
    return this.current;
  }
}
