import { Injectable, Logger } from '@nestjs/common';
import { sleep } from '../../common/sleep.js';
import { AppConfig } from '../../config/app-config.js';
import type { Alert } from '../entities/alert.entity.js';

const ATTEMPTS = 4;
const TIMEOUT_MS = 5_000;

/** POSTs alert events to `ALERT_WEBHOOK_URL`, retrying with backoff; returns the attempts made. */
@Injectable()
export class AlertNotifier {
  private readonly logger = new Logger(AlertNotifier.name);

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.ALERT_WEBHOOK_URL);
  }

  async notify(
    event: 'opened' | 'resolved',
    alert: Alert,
  ): Promise<{ delivered: boolean; attempts: number }> {
    const url = this.config.ALERT_WEBHOOK_URL;
    if (!url) return { delivered: false, attempts: 0 };
    const body = JSON.stringify({
      event,
      alert: {
        id: alert.id,
        rule: alert.rule,
        subject: alert.subject,
        severity: alert.severity,
        state: alert.state,
        message: alert.message,
        value: alert.value,
        threshold: alert.threshold,
        opened_at: alert.openedAt.toISOString(),
        resolved_at: alert.resolvedAt?.toISOString() ?? null,
      },
      service: 'registro-os',
    });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (response.ok) return { delivered: true, attempts: attempt };
        this.logger.warn(`Alert webhook answered ${response.status} (try ${attempt}/${ATTEMPTS})`);
      } catch (error) {
        this.logger.warn(
          `Alert webhook unreachable (try ${attempt}/${ATTEMPTS}): ${(error as Error).message}`,
        );
      }
      if (attempt < ATTEMPTS) await sleep(250 * 2 ** (attempt - 1));
    }
    return { delivered: false, attempts: ATTEMPTS };
  }
}
