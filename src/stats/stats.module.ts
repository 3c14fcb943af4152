import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScrapingUsage } from './entities/scraping-usage.entity.js';
import { UsageDaily } from './entities/usage-daily.entity.js';
import { LastOutcomeService } from './last-outcome.service.js';
import { UsageQueriesService } from './usage-queries.service.js';
import { UsageRecorder } from './usage-recorder.service.js';
import { UsageRollupService } from './usage-rollup.service.js';

/** Usage statistics: the recorder every outcome goes through, the queries over it, the roll-up. */
@Module({
  imports: [TypeOrmModule.forFeature([ScrapingUsage, UsageDaily])],
  providers: [UsageRecorder, UsageQueriesService, UsageRollupService, LastOutcomeService],
  exports: [UsageRecorder, UsageQueriesService, UsageRollupService, LastOutcomeService],
})
export class StatsModule {}
