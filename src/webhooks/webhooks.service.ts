import { randomBytes } from 'node:crypto';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AppConfig } from '../config/app-config.js';
import { updateReturning } from '../database/update-returning.js';
import type { CreatedWebhookDto, WebhookDeliveryDto, WebhookDto } from './dto/webhook.dto.js';
import type { WebhookEvent } from './webhook-outbox.js';
import { assertPublicHost, parseWebhookUrl, WebhookUrlError } from './webhook-url.policy.js';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEvent[];
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  event: WebhookEvent;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
  delivered_at: Date | null;
}

/** A user's webhooks and their delivery log; each user sees and changes only their own. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async create(
    user: AuthenticatedUser,
    url: string,
    events: WebhookEvent[],
    secret?: string,
  ): Promise<CreatedWebhookDto> {
    try {
      await assertPublicHost(parseWebhookUrl(url), this.config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES);
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new BadRequestException(error.message);
      throw error;
    }
    const signing = secret ?? randomBytes(32).toString('base64url');
    const [row] = await this.dataSource.query<WebhookRow[]>(
      `INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, $2, $3, $4)
       RETURNING id, url, events, created_at`,
      [user.id, url, events, signing],
    );
    return { ...toDto(row!), secret: signing };
  }

  async list(user: AuthenticatedUser): Promise<WebhookDto[]> {
    const rows = await this.dataSource.query<WebhookRow[]>(
      'SELECT id, url, events, created_at FROM webhooks WHERE user_id = $1 ORDER BY created_at',
      [user.id],
    );
    return rows.map(toDto);
  }

  async get(user: AuthenticatedUser, id: string): Promise<WebhookDto> {
    const [row] = await this.dataSource.query<WebhookRow[]>(
      'SELECT id, url, events, created_at FROM webhooks WHERE id = $1 AND user_id = $2',
      [id, user.id],
    );
    if (!row) throw new NotFoundException(`webhook ${id} not found`);
    return toDto(row);
  }

  async remove(user: AuthenticatedUser, id: string): Promise<void> {
    const rows = await updateReturning(
      this.dataSource,
      'DELETE FROM webhooks WHERE id = $1 AND user_id = $2 RETURNING id',
      [id, user.id],
    );
    if (rows.length === 0) throw new NotFoundException(`webhook ${id} not found`);
  }

  async deliveries(user: AuthenticatedUser, id: string): Promise<WebhookDeliveryDto[]> {
    await this.get(user, id);
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT id, event, status, attempts, last_status_code, last_error, payload, created_at, delivered_at
         FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id LIMIT 100`,
      [id],
    );
    return rows.map(toDeliveryDto);
  }

  /** Sends a delivery again (same id, so receivers still dedupe): a fresh set of attempts. */
  async redeliver(
    user: AuthenticatedUser,
    id: string,
    deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    await this.get(user, id);
    const [row] = await updateReturning<DeliveryRow>(
      this.dataSource,
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, generation = generation + 1
        WHERE id = $1 AND webhook_id = $2
        RETURNING id, event, status, attempts, last_status_code, last_error, payload, created_at, delivered_at`,
      [deliveryId, id],
    );
    if (!row) throw new NotFoundException(`delivery ${deliveryId} not found`);
    return toDeliveryDto(row);
  }
}

function toDeliveryDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    delivered_at: row.delivered_at?.toISOString() ?? null,
  };
}

function toDto(row: WebhookRow): WebhookDto {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    created_at: row.created_at.toISOString(),
  };
}
