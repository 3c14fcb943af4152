import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import type { AppConfig } from '../config/app-config.js';
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
@Module({})
export class MetricsModule {
  /** Without `METRICS_TOKEN` there is no `/metrics` at all: it answers as any missing path does. */
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.METRICS_TOKEN) return { module: MetricsModule };
    return {
      module: MetricsModule,
      imports: [ScrapeMetricsModule, AdminModule, ScrapingModule],
      controllers: [MetricsController],
      providers: [ServiceMetricsCollector, MetricsTokenGuard],
    };
  }
}
