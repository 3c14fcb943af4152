import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { WEBHOOK_QUEUE, type WebhookJobData } from './webhook-queue.js';

const POLL_MS = 1_000;
const BATCH = 200;

/**
 * Moves committed deliveries from the outbox to the queue. The job id is the delivery's id and
 * generation, so every worker may relay the same row and Bull keeps one job; a row committed just
 * before a crash is picked up by the next poll of any worker.
 */
@Injectable()
export class WebhookRelayService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookRelayService.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue<WebhookJobData>,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.relay(), POLL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async relay(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const rows = await this.dataSource.query<Array<{ id: string; generation: number }>>(
        `SELECT id, generation FROM webhook_deliveries WHERE status = 'pending'
          ORDER BY created_at LIMIT ${BATCH}`,
      );
      for (const row of rows) {
        await this.queue.add(
          { deliveryId: row.id, generation: row.generation },
          { jobId: `${row.id}:${row.generation}` },
        );
      }
    } catch (error) {
      this.logger.warn(`webhook relay: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = false;
    }
  }
}
