import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator.js';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { ServiceMetricsCollector } from './service-metrics.collector.js';

/**
 * Prometheus text at `/metrics` (outside `/api`), served by every role: each process reports its
 * own counters and pools. Not a user token but `METRICS_TOKEN` opens it, hence `@Public()` for the
 * JWT guard of the `api` role; not part of the JSON API, hence left out of Swagger.
 */
@ApiExcludeController()
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly collector: ServiceMetricsCollector,
  ) {}

  @Get()
  @Header('Content-Type', MetricsRegistry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    await this.collector.refresh();
    return this.registry.metrics();
  }
}
