import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScrapeMetricsModule } from './scrape-metrics.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { BrowserPool } from './browser/browser-pool.service.js';
import { RequestBlocker } from './browser/request-blocker.js';
import { ScrapingTask } from './entities/scraping-task.entity.js';
import { TaskItem } from './entities/task-item.entity.js';
import { ScrapedOrder } from './entities/scraped-order.entity.js';
import { OsNumberPolicy } from './os-number.policy.js';
import { OsScraperService } from './os-scraper.service.js';
import { ProcessStatusReporter } from './process-status.reporter.js';
import { BrowserPath } from './paths/browser-path.js';
import { HttpPath } from './paths/http-path.js';
import { PathChooser } from './paths/path-chooser.service.js';
import { ScrapeOutcomeWriter } from './scrape-outcome.writer.js';
import { TaskStore } from './task-store.service.js';
import { TaskWorker } from './task-worker.service.js';
import { ScrapedOrdersService } from './scraped-orders.service.js';
import { SessionPool } from './session/session-pool.service.js';
import { BrowserLoginService } from './session/browser-login.service.js';
import { LoginGuard } from './session/login-guard.service.js';
import { SessionLoginService } from './session/session-login.service.js';
import { TargetLoginService } from './session/target-login.service.js';
import { CircuitBreaker } from './target/circuit-breaker.service.js';
import { targetDefinitionProvider } from './target/target-definition.provider.js';
import { TargetDefinition } from './target/target-definition.js';
import { targetHttpClientProvider } from './target/target-http-client.provider.js';
import { TargetPoliteness } from './target/target-politeness.service.js';
import { FailureSnapshots } from './snapshots/failure-snapshots.service.js';
import { ScrapeSnapshot } from './snapshots/scrape-snapshot.entity.js';
import { LayoutDrift } from './snapshots/layout-drift.service.js';

/**
 * The scraping engine (target profile, sessions, browser pool, the three paths) and the stored
 * OS data. Loaded by every role; the browser launches only when a browser path first runs.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ScrapedOrder, ScrapingTask, TaskItem]),
    TypeOrmModule.forFeature([ScrapeSnapshot]),
    StatsModule,
    ScrapeMetricsModule,
  ],
  providers: [
    targetDefinitionProvider,
    targetHttpClientProvider,
    TargetPoliteness,
    CircuitBreaker,
    TargetLoginService,
    BrowserLoginService,
    LoginGuard,
    SessionLoginService,
    SessionPool,
    RequestBlocker,
    BrowserPool,
    HttpPath,
    BrowserPath,
    PathChooser,
    OsScraperService,
    OsNumberPolicy,
    ScrapedOrdersService,
    ScrapeOutcomeWriter,
    TaskStore,
    TaskWorker,
    ProcessStatusReporter,
    FailureSnapshots,
    LayoutDrift,
  ],
  exports: [
    TargetDefinition,
    OsScraperService,
    OsNumberPolicy,
    ScrapedOrdersService,
    ScrapeOutcomeWriter,
    TaskStore,
    TaskWorker,
    SessionPool,
    BrowserPool,
    CircuitBreaker,
    TargetPoliteness,
    FailureSnapshots,
    LayoutDrift,
    PathChooser,
  ],
})
export class ScrapingModule {}
