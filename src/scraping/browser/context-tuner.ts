/** What the tuner sees of one interval. */
export interface TunerSample {
  /** CPU pressure (0–1): the share of the interval in which work waited for a core (`CpuPressureMeter`). */
  cpuPressure: number;
  /** Some browser scrape had to wait for a place during the interval: more would have run. */
  waited: boolean;
}

/**
 * At this pressure or more, the cores are the limit: another context only queues on them. On 2
 * cores against an instant target, 2 / 3 / 5 contexts ran at 0.79 / 0.86 / 0.93 and read 3.2 /
 * 3.6 / 3.2 OS/s; on the script-only layout 0.58 / 0.74 / 0.87 for 1.3 / 1.5 / 1.5 OS/s.
 */
export const SATURATED_PRESSURE = 0.9;
/** Under this, with scrapes waiting, the cores have room for another context. */
export const SPARE_PRESSURE = 0.8;
/** Saturated intervals in a row before a context is taken away (one busy moment is not a trend). */
export const SATURATED_INTERVALS = 2;

/**
 * `SCRAPER_MAX_CONTEXTS=auto`: how many browser scrapes may run at once, moved one step per
 * interval between `floor` (one per core) and `ceiling` (what the memory holds). A browser scrape
 * alternates between the cores (Chromium rendering, the extractor) and the target (its answer):
 * against a fast target a few contexts fill the cores and more only wait for them, adding a
 * renderer each (about 80 MB); against a slow one, more contexts keep the cores busy while others
 * wait on the target. So: fewer while work keeps waiting for the cores, more while the cores have
 * room and scrapes are waiting, as TCP-like limiters do, with CPU pressure as the signal (how
 * busy the CPU looks does not tell: a core polling a page that waits on the target is busy too).
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
    if (sample.cpuPressure >= SATURATED_PRESSURE) {
      this.saturatedRun += 1;
      if (this.saturatedRun >= SATURATED_INTERVALS && this.current > this.floor) {
        this.current -= 1;
        this.saturatedRun = 0;
      }
    } else {
      this.saturatedRun = 0;
      if (sample.cpuPressure < SPARE_PRESSURE && sample.waited && this.current < this.ceiling)
        this.current += 1;
    }
    return this.current;
  }
}
