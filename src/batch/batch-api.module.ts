import { Module } from '@nestjs/common';
import { AuthApiModule } from '../auth/auth-api.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { BatchEventsAuthGuard } from './batch-events-auth.guard.js';
import { BatchController } from './batch.controller.js';
import { BatchModule } from './batch.module.js';
import { BatchResultsService } from './batch-results.service.js';
import { BatchStreamService } from './batch-stream.service.js';
import { BatchesService } from './batches.service.js';
import { StreamSlotsService } from './stream-slots.service.js';
import { EventsTicketService } from './events-ticket.service.js';

/** The batch endpoints (`api` role). */
@Module({
  imports: [BatchModule, ScrapingModule, AuthModule, AuthApiModule],
  controllers: [BatchController],
  providers: [
    BatchesService,
    BatchResultsService,
    BatchStreamService,
    StreamSlotsService,
    EventsTicketService,
    BatchEventsAuthGuard,
  ],
  exports: [BatchesService],
})
export class BatchApiModule {}
