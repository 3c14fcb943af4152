import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';

/**
 * The Prometheus registry of one application instance. Not prom-client's global registry: tests
 * boot several apps in one process, and each must count only its own work.
 */
@Injectable()
export class MetricsRegistry extends Registry {}

/** Every metric of the service starts with this. */
export const METRIC_PREFIX = 'registro_os_';
