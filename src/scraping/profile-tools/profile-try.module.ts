import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { ConfigModule } from '../../config/config.module.js';
import { DatabaseModule } from '../../database/database.module.js';
import { LifecycleModule } from '../../lifecycle/lifecycle.module.js';
import { RedisModule } from '../../redis/redis.module.js';
import { StatsModule } from '../../stats/stats.module.js';
import { ScrapingModule } from '../scraping.module.js';

/**
 * The scraping engine alone, as `profile:try` runs it: the service's own sessions, paths and
 * politeness limits (shared through Redis with any running worker), no queues, no HTTP server.
 */
@Module({})
export class ProfileTryModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProfileTryModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        LifecycleModule,
        StatsModule,
        ScrapingModule,
      ],
    };
  }
}
