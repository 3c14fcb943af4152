import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { BatchEventsService } from './batch-events.service.js';
import { TaskRecoveryService } from './task-recovery.service.js';
import { BatchStore } from './batch-store.service.js';
import { BatchItem } from '../scraping/entities/batch-item.entity.js';
import { ScrapingBatch } from '../scraping/entities/scraping-batch.entity.js';

/** Batches and their items in PostgreSQL, progress events, and the recovery of orphaned work. */
@Module({
  imports: [TypeOrmModule.forFeature([ScrapingBatch, BatchItem]), ScrapingModule],
  providers: [BatchStore, BatchEventsService, TaskRecoveryService],
  exports: [BatchStore, BatchEventsService, TaskRecoveryService],
})
export class BatchModule {}
