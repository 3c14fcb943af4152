import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, type Repository } from 'typeorm';
import { Alert } from '../entities/alert.entity.js';
import { AlertConditionsService } from './alert-conditions.service.js';
import { AlertNotifier } from './alert-notifier.service.js';
import type { AlertCondition } from './alert-rule.js';

export interface AlertEvaluation {
  opened: number;
  updated: number;
  resolved: number;
  open: number;
}

/**
 * Keeps `scraping_alerts` in step with the rules: one open alert per rule and subject, opened
 * when its condition starts to hold, updated while it does, resolved when it stops. Openings
 * and resolutions are logged at warn and sent to the webhook.
 */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    @InjectRepository(Alert) private readonly alerts: Repository<Alert>,
    private readonly conditions: AlertConditionsService,
    private readonly notifier: AlertNotifier,
  ) {}

  async evaluate(): Promise<AlertEvaluation> {
    return this.apply(await this.conditions.current());
  }

  /** Applies a set of conditions holding now (the whole set: anything else open gets resolved). */
  async apply(current: AlertCondition[]): Promise<AlertEvaluation> {
    const result: AlertEvaluation = { opened: 0, updated: 0, resolved: 0, open: 0 };
    for (const condition of current) {
      const rows = await this.alerts.query(
        `INSERT INTO scraping_alerts (rule, subject, severity, message, value, threshold)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (rule, subject) WHERE state = 'open' DO UPDATE SET
           severity = EXCLUDED.severity, message = EXCLUDED.message, value = EXCLUDED.value,
           threshold = EXCLUDED.threshold, updated_at = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [
          condition.rule,
          condition.subject,
          condition.severity,
          condition.message,
          condition.value,
          condition.threshold,
        ],
      );
      const { id, inserted } = rows[0] as { id: string; inserted: boolean };
      if (inserted) {
        result.opened += 1;
        this.logger.warn(`Alert opened: ${condition.message}`);
        await this.deliver('opened', id);
      } else {
        result.updated += 1;
      }
    }
    const holding = new Set(current.map((condition) => `${condition.rule}|${condition.subject}`));
    for (const alert of await this.alerts.findBy({ state: 'open' })) {
      if (holding.has(`${alert.rule}|${alert.subject}`)) continue;
      await this.alerts.update(
        { id: alert.id, state: 'open' },
        { state: 'resolved', resolvedAt: new Date(), updatedAt: new Date() },
      );
      result.resolved += 1;
      this.logger.warn(`Alert resolved: ${alert.message}`);
      await this.deliver('resolved', alert.id);
    }
    result.open = await this.alerts.countBy({ state: 'open' });
    return result;
  }

  open(): Promise<Alert[]> {
    return this.alerts.find({ where: { state: 'open' }, order: { openedAt: 'DESC' } });
  }

  recent(limit: number): Promise<Alert[]> {
    return this.alerts.find({
      where: { state: Not(In(['open'])) },
      order: { resolvedAt: 'DESC' },
      take: limit,
    });
  }

  private async deliver(event: 'opened' | 'resolved', id: string): Promise<void> {
    if (!this.notifier.enabled) return;
    const alert = await this.alerts.findOneByOrFail({ id });
    const { delivered, attempts } = await this.notifier.notify(event, alert);
    await this.alerts.update(
      { id },
      {
        notifyAttempts: alert.notifyAttempts + attempts,
        ...(delivered ? { notifiedAt: new Date() } : {}),
      },
    );
  }
}
