import type { EntityManager } from 'typeorm';

export const WEBHOOK_EVENTS = ['batch.completed', 'batch.failed', 'os.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/**
 * Writes one delivery per subscribed webhook, in the caller's transaction: the event and its
 * deliveries commit or vanish together, and the `webhooks` queue sends what was committed.
 * `ownerId` limits the event to one user's webhooks (a batch); null reaches every subscriber.
 */
export async function recordWebhookEvent(
  manager: EntityManager,
  event: WebhookEvent,
  data: Record<string, unknown>,
  ownerId: string | null,
): Promise<void> {
  await manager.query(
    `INSERT INTO webhook_deliveries (webhook_id, event, payload)
     SELECT id, $1::varchar, jsonb_build_object('event', $1::text, 'occurred_at', now(), 'data', $2::jsonb)
       FROM webhooks
      WHERE $1 = ANY (events) AND ($3::uuid IS NULL OR user_id = $3::uuid)`,
    [event, JSON.stringify(data), ownerId],
  );
}
