import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  CircuitBreaker,
  type CredentialsRefusal,
} from '../scraping/target/circuit-breaker.service.js';

/**
 * Whether the target accepts the configured credentials. A refusal does not fail readiness (the
 * API still serves what is stored, and restarting would not help): health answers 200 with
 * `status: "degraded"` and the reason, until the credentials change or the refusal cools down.
 */
@Injectable()
export class TargetLoginHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly breaker: CircuitBreaker,
  ) {}

  /** The standing refusal, or null (also when Redis cannot say: its own check reports that). */
  async refusal(): Promise<CredentialsRefusal | null> {
    return this.breaker.credentialsRefusal().catch(() => null);
  }

  async check() {
    const refusal = await this.refusal();
    return this.indicators
      .check('target_login')
      .up(refusal ? { credentials_refused: true, ...refusal } : { credentials_refused: false });
  }
}
