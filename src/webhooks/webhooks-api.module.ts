import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhook registration and delivery logs (`api` role). */
@Module({ controllers: [WebhooksController], providers: [WebhooksService] })
export class WebhooksApiModule {}
