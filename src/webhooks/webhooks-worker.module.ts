import { Module } from '@nestjs/common';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor.js';
import { WebhookQueueModule } from './webhook-queue.js';
import { WebhookRelayService } from './webhook-relay.service.js';

/** Relays the outbox to the `webhooks` queue and sends deliveries (`worker` role). */
@Module({
  imports: [WebhookQueueModule],
  providers: [WebhookRelayService, WebhookDeliveryProcessor],
})
export class WebhooksWorkerModule {}
