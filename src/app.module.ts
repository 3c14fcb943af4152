import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AdminApiModule } from './admin/admin-api.module.js';
import { AdminPageModule } from './admin/admin-page.module.js';
import { AdminSchedulerModule } from './admin/admin-scheduler.module.js';
import { AdminWorkerModule } from './admin/admin-worker.module.js';
import { AuthApiModule } from './auth/auth-api.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BatchApiModule } from './batch/batch-api.module.js';
import { BatchWorkerModule } from './batch/batch-worker.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { roleIncludes, type RolePart } from './config/role.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RedisModule } from './redis/redis.module.js';
import { ScrapingApiModule } from './scraping/scraping-api.module.js';
import { ScrapingWorkerModule } from './scraping/scraping-worker.module.js';
import { ScrapingModule } from './scraping/scraping.module.js';
import { UserStatisticsApiModule } from './user-statistics/user-statistics-api.module.js';
import { StatsModule } from './stats/stats.module.js';
import { WebhooksApiModule } from './webhooks/webhooks-api.module.js';
import { WebhooksWorkerModule } from './webhooks/webhooks-worker.module.js';

/** What each process role runs, on top of the shared core. */
export const ROLE_MODULES: Record<RolePart, Type[]> = {
  api: [
    AuthApiModule,
    ScrapingApiModule,
    BatchApiModule,
    UserStatisticsApiModule,
    AdminApiModule,
    AdminPageModule,
    WebhooksApiModule,
  ],
  worker: [ScrapingWorkerModule, BatchWorkerModule, AdminWorkerModule, WebhooksWorkerModule],
  scheduler: [AdminSchedulerModule],
};

/**
 * The modular monolith: the shared core (config, logs, database, Redis, queues, health) plus the
 * modules of the process's role (`api`, `worker`, `scheduler` or `all`).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const role = config.ROLE;
    const parts = (Object.keys(ROLE_MODULES) as RolePart[]).filter((part) =>
      roleIncludes(role, part),
    );
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        QueuesModule,
        AuthModule,
        StatsModule,
        ScrapingModule,
        HealthModule,
        LifecycleModule,
        MetricsModule.forRoot(config),
        ...parts.flatMap((part) => ROLE_MODULES[part]),
      ],
    };
  }
}
