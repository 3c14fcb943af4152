import { Module } from '@nestjs/common';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { ScrapeMetrics } from './scrape-metrics.service.js';

/**
 * The registry and the scrape counters the engine feeds. They live with the engine, so `/metrics`
 * (which reads the engine and the admin side) sits above it and no folder loop remains.
 */
@Module({
  providers: [MetricsRegistry, ScrapeMetrics],
  exports: [MetricsRegistry, ScrapeMetrics],
})
export class ScrapeMetricsModule {}
