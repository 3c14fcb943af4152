import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { BatchEventsService } from './batch-events.service.js';
import { TaskRecoveryService } from './task-recovery.service.js';
import { BatchStore } from './batch-store.service.js';
import { TaskItem } from '../scraping/entities/task-item.entity.js';
import { ScrapingTask } from '../scraping/entities/scraping-task.entity.js';

/** Batches and their items in PostgreSQL, progress events, and the recovery of orphaned work. */
@Module({
  imports: [TypeOrmModule.forFeature([ScrapingTask, TaskItem]), ScrapingModule],
  providers: [BatchStore, BatchEventsService, TaskRecoveryService],
  exports: [BatchStore, BatchEventsService, TaskRecoveryService],
})
export class BatchModule {}
