import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { sleep } from '../../common/sleep.js';
import { AppConfig } from '../../config/app-config.js';
import { RedisService } from '../../redis/redis.service.js';
import { ScrapeError } from '../scrape-errors.js';
import { CredentialsRefusedError } from '../session/login-errors.js';
import { loginFailuresKey } from '../session/login-guard.service.js';
import { BREAKER_CHECK, BREAKER_FAILURE, BREAKER_SUCCESS } from './redis-scripts.js';
import { TargetDefinition } from './target-definition.js';

export interface BreakerState {
  state: 'closed' | 'open' | 'half_open' | 'credentials_refused';
  failures: number;
  opened: number;
  /** Set while the target refuses the credentials: why, since when and until when at most. */
  credentials_refused?: CredentialsRefusal;
}

export interface CredentialsRefusal {
  reason: string;
  since: string;
  until: string;
}

const MAX_COOLDOWN_MS = 60_000;
const CLEAN_FOR_MS = 1_000;

/**
 * One circuit breaker per target, shared by all processes through Redis. While the target is
 * down, scrapes wait here instead of failing; one probe at a time tests whether it is back.
 */
@Injectable()
export class CircuitBreaker {
  private readonly logger = new Logger(CircuitBreaker.name);
  private readonly key: string;
  private readonly refusedKey: string;
  /** Fingerprints of the configured credentials, per salt (scrypt is slow on purpose). */
  private readonly fingerprints = new Map<string, Buffer>();
  /** When this process last saw the circuit closed with no failures counted. */
  private lastSeenClean = 0;

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    private readonly target: TargetDefinition,
  ) {
    this.key = redis.key('target', target.id, 'breaker');
    this.refusedKey = `${this.key}:refused`;
  }

  /** Resolves when requests may go to the target; waits while the circuit is open. */
  async waitUntilClosed(signal?: AbortSignal): Promise<void> {
    // Without Redis there is no shared view of the target: go ahead (inline scraping only).
    if (!this.redis.isReady) return;
    const started = Date.now();
    let logged = false;
    for (;;) {
      const answer = String(
        await this.redis.client.eval(BREAKER_CHECK, {
          keys: [this.key],
          arguments: [String(this.config.SCRAPER_HTTP_TIMEOUT_MS * 2), randomUUID()],
        }),
      );
      if (answer === 'refused') {
        const refusal = await this.credentialsRefusal();
        if (refusal) throw new CredentialsRefusedError(refusalDetail(refusal));
        continue;
      }
      if (answer === 'closed' || answer === 'closed:failing' || answer === 'probe') {
        this.lastSeenClean = answer === 'closed' ? Date.now() : 0;
        return;
      }
      if (Date.now() - started > this.config.TARGET_OUTAGE_MAX_WAIT_MS) {
        throw new ScrapeError(
          'target_outage',
          `the target stayed unavailable for ${this.config.TARGET_OUTAGE_MAX_WAIT_MS} ms`,
          false,
        );
      }
      if (!logged) {
        this.logger.warn(
          'The target is unavailable (circuit open): waiting for it to answer again',
        );
        logged = true;
      }
      await sleep(Math.min(Math.max(Number(answer) || 250, 50), 1_000), signal);
    }
  }

  async recordSuccess(): Promise<void> {
    if (!this.redis.isReady) return;
    // Nothing to reset when the circuit was clean a moment ago: saves a round trip per OS.
    if (Date.now() - this.lastSeenClean < CLEAN_FOR_MS) return;
    const changed = await this.redis.client.eval(BREAKER_SUCCESS, {
      keys: [this.key],
      arguments: [String(this.config.CIRCUIT_COOLDOWN_MS)],
    });
    if (changed === 1) this.logger.log('The target answers again (circuit closed)');
  }

  async recordFailure(): Promise<void> {
    if (!this.redis.isReady) return;
    this.lastSeenClean = 0;
    await this.redis.client.eval(BREAKER_FAILURE, {
      keys: [this.key],
      arguments: [
        String(this.config.CIRCUIT_FAILURE_THRESHOLD),
        String(this.config.CIRCUIT_COOLDOWN_MS),
        String(MAX_COOLDOWN_MS),
      ],
    });
  }

  async state(): Promise<BreakerState> {
    const hash = await this.redis.client.hGetAll(this.key);
    const refusal = await this.credentialsRefusal();
    return {
      state: refusal ? 'credentials_refused' : ((hash.state as BreakerState['state']) ?? 'closed'),
      failures: Number(hash.failures ?? 0),
      opened: Number(hash.opened ?? 0),
      ...(refusal ? { credentials_refused: refusal } : {}),
    };
  }

  /**
   * Opens the circuit for refused credentials: every scrape ends at once with `login_failed`, and
   * no login (and no probe) is tried until the credentials change (TARGET_PASSWORD or
   * TARGET_USERNAME) or TARGET_LOGIN_REFUSED_COOLDOWN_MS passes. The ERP account is the
   * customer's: trying the same password again would lock it.
   */
  async openForRefusedCredentials(reason: string): Promise<void> {
    const cooldown = this.config.TARGET_LOGIN_REFUSED_COOLDOWN_MS;
    const salt = randomBytes(16).toString('hex');
    const now = Date.now();
    this.logger.error(`The target refused the credentials (${reason}): logins stopped`);
    if (!this.redis.isReady) {
      this.localRefusal = { reason, since: now, until: now + cooldown };
      return;
    }
    await this.redis.client
      .multi()
      .hSet(this.refusedKey, {
        reason,
        since: String(now),
        until: String(now + cooldown),
        salt,
        fingerprint: this.fingerprint(salt).toString('hex'),
      })
      .pExpire(this.refusedKey, cooldown)
      .exec();
  }

  /**
   * The standing refusal of the configured credentials, or null. A refusal recorded for other
   * credentials (the password was changed since) is dropped.
   */
  async credentialsRefusal(): Promise<CredentialsRefusal | null> {
    if (!this.redis.isReady) {
      const local = this.localRefusal;
      if (!local || local.until < Date.now()) return null;
      return formatRefusal(local);
    }
    const hash = await this.redis.client.hGetAll(this.refusedKey);
    if (Object.keys(hash).length === 0) return null;
    if (!hash.salt || !hash.fingerprint) {
      // Not a record this service wrote: dropped, so the breaker does not wait on it forever.
      await this.redis.client.del(this.refusedKey);
      return null;
    }
    const stored = Buffer.from(hash.fingerprint, 'hex');
    const current = this.fingerprint(hash.salt);
    if (stored.length !== current.length || !timingSafeEqual(stored, current)) {
      // Failed logins counted against the old credentials do not hold back the new ones.
      await this.redis.client.del([this.refusedKey, loginFailuresKey(this.redis, this.target.id)]);
      this.logger.log('The target credentials changed since they were refused: logins allowed');
      return null;
    }
    return formatRefusal({
      reason: hash.reason ?? '',
      since: Number(hash.since),
      until: Number(hash.until),
    });
  }

  /**
   * Lifts a standing refusal and forgets the failed logins of the window, for an admin who had the
   * ERP account unlocked without a password change. The next login is tried once; if the target
   * refuses again, the refusal stands again after TARGET_MAX_FAILED_LOGINS attempts at most.
   * True when there was a refusal to lift.
   */
  async clearCredentialsRefusal(by: string): Promise<boolean> {
    const refusal = await this.credentialsRefusal();
    if (!this.redis.isReady) this.localRefusal = undefined;
    else
      await this.redis.client.del([this.refusedKey, loginFailuresKey(this.redis, this.target.id)]);
    if (refusal)
      this.logger.warn(
        `The credentials refusal (${refusal.reason}) was cleared by ${by}: logins allowed`,
      );
    return refusal !== null;
  }

  private localRefusal?: { reason: string; since: number; until: number };

  private fingerprint(salt: string): Buffer {
    let value = this.fingerprints.get(salt);
    if (!value) {
      value = scryptSync(
        `${this.target.username ?? ''}\u0000${this.target.password ?? ''}`,
        salt,
        32,
      );
      this.fingerprints.set(salt, value);
    }
    return value;
  }
}

function formatRefusal(refusal: {
  reason: string;
  since: number;
  until: number;
}): CredentialsRefusal {
  return {
    reason: refusal.reason,
    since: new Date(refusal.since).toISOString(),
    until: new Date(refusal.until).toISOString(),
  };
}

function refusalDetail(refusal: CredentialsRefusal): string {
  return `${refusal.reason}; no login is tried until TARGET_PASSWORD changes or ${refusal.until}`;
}
