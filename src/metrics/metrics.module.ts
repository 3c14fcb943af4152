import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import type { AppConfig } from '../config/app-config.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { ScrapeMetricsModule } from '../scraping/scrape-metrics.module.js';
import { ServiceMetricsCollector } from './service-metrics.collector.js';

/**
 * `/metrics` for every role: the scrape counters plus gauges read from the admin side (queues,
 * alerts, maintenance) and the engine (browser pool, sessions). The counters themselves live in
 * the engine's `ScrapeMetricsModule`: this folder reads the engine, never the other way round.
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
