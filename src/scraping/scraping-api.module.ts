import { Module } from '@nestjs/common';
import { StatsModule } from '../stats/stats.module.js';
import { ScrapingController } from './scraping.controller.js';
import { ScrapingModule } from './scraping.module.js';
import { ScrapingService } from './scraping.service.js';

/** The single-OS endpoints (`api` role). */
@Module({
  imports: [ScrapingModule, StatsModule],
  controllers: [ScrapingController],
  providers: [ScrapingService],
})
export class ScrapingApiModule {}
