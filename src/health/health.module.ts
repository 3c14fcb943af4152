import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { HealthController } from './health.controller.js';
import { BrowserPoolHealthIndicator } from './browser-pool.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { TargetLoginHealthIndicator } from './target-login.health.js';

/** `GET /api/health` and `/api/health/live`, served by every role. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ScrapingModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, BrowserPoolHealthIndicator, TargetLoginHealthIndicator],
})
export class HealthModule {}
