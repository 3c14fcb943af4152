import { Module } from '@nestjs/common';
import { ScrapingModule } from '../scraping/scraping.module.js';
import { BatchModule } from './batch.module.js';
import { BatchProcessor } from './batch.processor.js';

/** Consumes the `scraping_batch` queue (`worker` role). */
@Module({ imports: [BatchModule, ScrapingModule], providers: [BatchProcessor] })
export class BatchWorkerModule {}
