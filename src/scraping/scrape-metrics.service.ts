import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import type { ScrapeResult } from './scrape-result.js';
import { SCRAPE_OUTCOMES, SCRAPE_PATHS } from '../stats/scrape-outcome.js';
import { METRIC_PREFIX, MetricsRegistry } from '../common/metrics-registry.js';

/** Label of an outcome that no path produced (e.g. given up while the target was down). */
const NO_PATH = 'none';
const PATH_LABELS = [...SCRAPE_PATHS, NO_PATH];

/** Per-process scrape counts and durations, fed by the outcome writer once an outcome is stored. */
@Injectable()
export class ScrapeMetrics {
  private readonly scrapes: Counter<'outcome' | 'path'>;
  private readonly duration: Histogram<'outcome' | 'path'>;

  constructor(registry: MetricsRegistry) {
    this.scrapes = new Counter({
      name: `${METRIC_PREFIX}scrapes_total`,
      help: 'OS outcomes recorded by this process, by outcome and by the path that produced it.',
      labelNames: ['outcome', 'path'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: `${METRIC_PREFIX}scrape_duration_seconds`,
      help: 'Time to read one OS (every attempt on every path), by outcome and path.',
      labelNames: ['outcome', 'path'],
      // From the HTTP fast path (~50 ms) to the robust path with retries (minutes).
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
      registers: [registry],
    });
    // Known series start at zero, so rate() sees the first scrape of each kind. (Not the
    // histogram: 15 series per label pair for nothing observed yet.)
    for (const outcome of SCRAPE_OUTCOMES) {
      for (const path of PATH_LABELS) this.scrapes.inc({ outcome, path }, 0);
    }
  }

  record(result: Pick<ScrapeResult, 'outcome' | 'path' | 'durationMs'>): void {
    const labels = { outcome: result.outcome, path: result.path ?? NO_PATH };
    this.scrapes.inc(labels);
    this.duration.observe(labels, result.durationMs / 1000);
  }
}
