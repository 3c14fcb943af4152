import { Module } from '@nestjs/common';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { BatchController } from './batch.controller.js';
import { BatchModule } from './batch.module.js';
import { BatchResultsService } from './batch-results.service.js';
import { BatchStreamService } from './batch-stream.service.js';
import { BatchesService } from './batches.service.js';
import { StreamSlotsService } from './stream-slots.service.js';

/** The batch endpoints (`api` role). */
@Module({
  imports: [BatchModule, ScrapingModule],
  controllers: [BatchController],
  providers: [BatchesService, BatchResultsService, BatchStreamService, StreamSlotsService],
  exports: [BatchesService],
})
export class BatchApiModule {}
