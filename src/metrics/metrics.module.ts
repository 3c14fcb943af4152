import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { ScrapeMetricsModule } from './scrape-metrics.module.js';
import { ServiceMetricsCollector } from './service-metrics.collector.js';

/**
 * `/metrics` for every role: the scrape counters plus gauges read from the admin side (queues,
 * alerts, maintenance) and the engine (browser pool, sessions). Kept apart from
 * `ScrapeMetricsModule` so that the engine, which feeds the counters, never imports the admin side.
 */
@Module({
  imports: [ScrapeMetricsModule, AdminModule, ScrapingModule],
  controllers: [MetricsController],
  providers: [ServiceMetricsCollector, MetricsTokenGuard],
})
export class MetricsModule {}
