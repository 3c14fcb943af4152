import { BullModule } from '@nestjs/bull';
import { AppConfig } from '../config/app-config.js';

/** Deliveries are sent from here; PostgreSQL (`webhook_deliveries`) is the record. */
export const WEBHOOK_QUEUE = 'webhooks';

export interface WebhookJobData {
  deliveryId: string;
  generation: number;
}

export const WebhookQueueModule = BullModule.registerQueueAsync({
  name: WEBHOOK_QUEUE,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    settings: {
      lockDuration: config.QUEUE_LOCK_DURATION_MS,
      lockRenewTime: Math.round(config.QUEUE_LOCK_DURATION_MS / 3),
      stalledInterval: Math.round(config.QUEUE_LOCK_DURATION_MS / 2),
      maxStalledCount: 10,
    },
    defaultJobOptions: {
      attempts: config.WEBHOOK_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: config.WEBHOOK_BACKOFF_MS },
      removeOnComplete: true,
      removeOnFail: true,
    },
  }),
});
