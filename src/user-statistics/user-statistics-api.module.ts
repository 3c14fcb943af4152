import { Module } from '@nestjs/common';
import { BatchModule } from '../batch/batch.module.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { UserQuotasService } from './user-quotas.service.js';
import { UserStatisticsController } from './user-statistics.controller.js';
import { UserStatisticsService } from './user-statistics.service.js';

/** A user's own statistics (`api` role): reads the usage rows, the tasks and the queue quotas. */
@Module({
  imports: [StatsModule, BatchModule, ScrapingModule],
  controllers: [UserStatisticsController],
  providers: [UserStatisticsService, UserQuotasService],
})
export class UserStatisticsApiModule {}
