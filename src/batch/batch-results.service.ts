import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ScrapedOrdersService } from '../scraping/scraped-orders.service.js';
import { TargetDefinition } from '../scraping/target/target-definition.js';
import { TaskStore } from '../scraping/task-store.service.js';
import type { Batch } from './batch-store.service.js';
import { CSV_BOM, csvLine } from './csv.js';
import type { BatchResultItemDto, BatchResultsDto } from './dto/batch-results.dto.js';

const PAGE = 50;

/**
 * Streams a batch's results, page by page, as JSON or CSV: each OS with its outcome and the data
 * read (the fields of the target profile; tables as JSON in CSV).
 */
@Injectable()
export class BatchResultsService {
  constructor(
    private readonly tasks: TaskStore,
    private readonly orders: ScrapedOrdersService,
    private readonly target: TargetDefinition,
  ) {}

  async stream(batch: Batch, format: 'json' | 'csv', response: Response): Promise<void> {
    const items = await this.tasks.itemsOf(batch.id);
    const fileName = `lote-${batch.id}.${format}`;
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    if (format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.write(
        CSV_BOM +
          csvLine([
            'os_number',
            'outcome',
            'path',
            'attempts',
            'duration_ms',
            'error',
            ...this.columns(),
          ]),
      );
    } else {
      // Streamed by hand, page by page; the types tie each part to the published schema.
      const head: Omit<BatchResultsDto, 'items'> = {
        task_id: batch.id,
        batch_name: batch.name,
        state: batch.state,
      };
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.write(
        `{"task_id":${JSON.stringify(head.task_id)},"batch_name":${JSON.stringify(head.batch_name)},"state":${JSON.stringify(head.state)},"items":[`,
      );
    }
    let first = true;
    for (let offset = 0; offset < items.length; offset += PAGE) {
      const page = items.slice(offset, offset + PAGE);
      const data = new Map(
        (await this.orders.findByNumbers(page.map((item) => item.osNumber))).map((order) => [
          order.osNumber,
          order.data,
        ]),
      );
      for (const item of page) {
        const outcome =
          item.status === 'pending' || item.status === 'running' ? 'pending' : item.status;
        const error = item.errorCode
          ? `${item.errorCode}: ${item.errorMessage ?? ''}`.trim()
          : null;
        const record = item.status === 'success' ? (data.get(item.osNumber) ?? null) : null;
        if (format === 'csv') {
          response.write(
            csvLine([
              item.osNumber,
              outcome,
              item.path,
              item.attempts,
              item.durationMs,
              error,
              ...this.columns().map((column) => record?.[column]),
            ]),
          );
        } else {
          const row: BatchResultItemDto = {
            os_number: item.osNumber,
            outcome,
            path: item.path,
            attempts: item.attempts,
            duration_ms: item.durationMs,
            error,
            data: record,
          };
          response.write((first ? '' : ',') + JSON.stringify(row));
        }
        first = false;
      }
    }
    response.end(format === 'json' ? ']}' : undefined);
  }

  private columns(): string[] {
    const profile = this.target.profile;
    return [
      ...profile.fields.map((field) => field.name),
      ...profile.tables.map((table) => table.name),
    ];
  }
}
