import { Module } from '@nestjs/common';
import { ScrapingModule } from './scraping.module.js';
import { ScrapingProcessor } from './scraping.processor.js';

/** Consumes the `scraping` queue (`worker` role). */
@Module({ imports: [ScrapingModule], providers: [ScrapingProcessor] })
export class ScrapingWorkerModule {}
