import { Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry.js';
import { ScrapeMetrics } from './scrape-metrics.service.js';

/**
 * The registry and the scrape counters, with no dependency of their own, so the scraping engine
 * can import them without pulling in the admin side (which imports the engine).
 */
@Module({
  providers: [MetricsRegistry, ScrapeMetrics],
  exports: [MetricsRegistry, ScrapeMetrics],
})
export class ScrapeMetricsModule {}
