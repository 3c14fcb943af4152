import { InjectQueue } from '@nestjs/bull';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { ShutdownCoordinator } from '../lifecycle/shutdown-coordinator.service.js';
import { registerProcessor } from '../queues/register-processor.js';
import { WEBHOOK_QUEUE, type WebhookJobData } from './webhook-queue.js';
import { sendWebhook } from './webhook-sender.js';
import { signWebhook } from './webhook-signature.js';

const CONCURRENCY = 4;

interface DeliveryRow {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  status: string;
  generation: number;
  url: string;
  secret: string;
}

/**
 * Sends one delivery per job: signed, timestamped, with its id for deduplication. A failure
 * (no answer, or not 2xx) is recorded and thrown, so Bull retries with exponential backoff; the
 * last failed try marks the delivery `failed`. Errors name the status, never the secret.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnModuleInit {
  constructor(
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue<WebhookJobData>,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly shutdown: ShutdownCoordinator,
  ) {}

  onModuleInit(): void {
    registerProcessor(this.queue, CONCURRENCY, (job) => this.process(job), this.shutdown);
  }

  async process(job: Job<WebhookJobData>): Promise<{ status: string }> {
    const [delivery] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT d.id, d.event, d.payload, d.status, d.generation, w.url, w.secret
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [job.data.deliveryId],
    );
    if (!delivery || delivery.status !== 'pending' || delivery.generation !== job.data.generation)
      return { status: 'skipped' };
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await sendWebhook({
        url: delivery.url,
        body,
        headers: {
          'x-registroos-delivery': delivery.id,
          'x-registroos-event': delivery.event,
          'x-registroos-timestamp': String(timestamp),
          'x-registroos-signature': signWebhook(delivery.secret, timestamp, body),
        },
        allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      });
      if (statusCode < 200 || statusCode >= 300) error = `receiver answered ${statusCode}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const status = error === null ? 'delivered' : lastTry ? 'failed' : 'pending';
    await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_attempt_at = now(), last_status_code = $3::int,
              last_error = $4::text, status = $5::varchar,
              delivered_at = CASE WHEN $5::varchar = 'delivered' THEN now() ELSE delivered_at END
        WHERE id = $1 AND generation = $2`,
      [delivery.id, delivery.generation, statusCode, error, status],
    );
    if (error !== null) throw new Error(`delivery ${delivery.id}: ${error}`);
    return { status };
  }
}
