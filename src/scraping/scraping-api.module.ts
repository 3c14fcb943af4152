import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { OsChangesController } from './os-changes.controller.js';
import { OsChangesService } from './os-changes.service.js';
import { ScrapingController } from './scraping.controller.js';
import { ScrapingModule } from './scraping.module.js';
import { ScrapingService } from './scraping.service.js';

/** The single-OS endpoints (`api` role). */
@Module({
  imports: [ScrapingModule, StatsModule],
  controllers: [ScrapingController, OsChangesController],
  providers: [ScrapingService, OsChangesService],
})
export class ScrapingApiModule {}
