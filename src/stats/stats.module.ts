import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScrapingUsage } from './entities/scraping-usage.entity.js';
import { UsageRecorder } from './usage-recorder.service.js';

/** Usage statistics: the recorder every outcome goes through, and the queries over it. */
@Module({
  imports: [TypeOrmModule.forFeature([ScrapingUsage])],
  providers: [UsageRecorder],
  exports: [UsageRecorder],
})
export class StatsModule {}
