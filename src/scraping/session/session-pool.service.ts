import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { ProcessHeartbeat } from '../../redis/process-heartbeat.service.js';
import { RedisService } from '../../redis/redis.service.js';
import { ScrapeError } from '../scrape-errors.js';
import { CookieJar } from '../target/cookie-jar.js';
import { TargetDefinition } from '../target/target-definition.js';
import { MemorySessionSlots } from './memory-session-slots.js';
import { RedisSessionSlots } from './redis-session-slots.js';
import type { LeasedSlot, SessionSlots, StoredSession } from './session-slots.js';
import { SessionLoginService } from './session-login.service.js';

/** A logged-in session leased to one scrape. */
export interface SessionLease {
  readonly sessionId: string;
  readonly cookies: CookieJar;
  /** The target said the session is over: it is dropped on release, the next lease logs in. */
  invalidate(): void;
  release(): Promise<void>;
}

export interface SessionPoolCounters {
  logins: number;
  relogins: number;
  expiries: number;
  retired: number;
  login_failures: number;
}

const LEASE_TTL_MS = 60_000;
const ACQUIRE_TIMEOUT_MS = 120_000;

/**
 * Logged-in target sessions, reused for at most `SESSION_MAX_AGE_MS` and `SESSION_MAX_USES`
 * uses, never used by two scrapes at once, and never more than `TARGET_MAX_SESSIONS` of them
 * across all processes (the target logs out the oldest past its cap). Sessions live in Redis
 * slots, so a session one worker logged in serves the others too.
 */
@Injectable()
export class SessionPool {
  private readonly logger = new Logger(SessionPool.name);
  private readonly shared: SessionSlots;
  private readonly local: SessionSlots;
  private readonly waiters = new Set<() => void>();
  private readonly counters: SessionPoolCounters = {
    logins: 0,
    relogins: 0,
    expiries: 0,
    retired: 0,
    login_failures: 0,
  };
  private leased = 0;
  /** Sessions dropped as expired whose slot has not logged in again yet. */
  private droppedSessions = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly login: SessionLoginService,
    private readonly heartbeat: ProcessHeartbeat,
    target: TargetDefinition,
  ) {
    this.shared = new RedisSessionSlots(
      redis,
      target.id,
      config.TARGET_MAX_SESSIONS,
      heartbeat.keyPrefix,
    );
    // Without Redis only this process scrapes (inline), so one session keeps well under the cap.
    this.local = new MemorySessionSlots(1);
  }

  /**
   * Leases a logged-in session, logging in when the slot has none or a stale one. `fresh` (after
   * the target said a session ended) prefers an empty slot, so the retry logs in anew instead of
   * taking another slot's session that may be as old; a session in use is never replaced, as
   * the target would keep it open until it times out.
   */
  async acquire(signal?: AbortSignal, options: { fresh?: boolean } = {}): Promise<SessionLease> {
    const slots = this.redis.isReady ? this.shared : this.local;
    const token = this.heartbeat.token(randomUUID());
    const { slot, session: stored } = await this.leaseSlot(
      slots,
      token,
      signal,
      options.fresh ?? false,
    );
    this.leased += 1;
    const renewal = setInterval(
      () => void slots.renew(slot, token, LEASE_TTL_MS).catch(() => undefined),
      LEASE_TTL_MS / 3,
    );
    renewal.unref();
    let released = false;
    const release = async (drop: boolean) => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      this.leased -= 1;
      try {
        if (drop) {
          this.droppedSessions += 1;
          await slots.remove(slot);
        }
        await slots.unlease(slot, token);
      } finally {
        for (const wake of this.waiters) wake();
      }
    };
    try {
      const session = await this.sessionFor(slots, slot, stored, signal);
      let invalid = false;
      return {
        sessionId: session.id,
        cookies: CookieJar.fromJSON(session.cookies),
        invalidate: () => {
          if (!invalid) this.counters.expiries += 1;
          invalid = true;
        },
        release: () => release(invalid),
      };
    } catch (error) {
      await release(false);
      throw error;
    }
  }

  /** Counters of this process since it started. */
  stats(): SessionPoolCounters & { leased: number; max_sessions: number } {
    return { ...this.counters, leased: this.leased, max_sessions: this.config.TARGET_MAX_SESSIONS };
  }

  /** Drops stored sessions past their age that nobody is using (maintenance). */
  async retireStale(): Promise<number> {
    let retired = 0;
    for (let slot = 0; slot < this.config.TARGET_MAX_SESSIONS; slot += 1) {
      const token = this.heartbeat.token(randomUUID());
      const leased = await this.shared.lease(token, 10_000, false);
      if (leased === null) break;
      try {
        if (leased.session && !this.isFresh(leased.session)) {
          await this.shared.remove(leased.slot);
          retired += 1;
        }
      } finally {
        await this.shared.unlease(leased.slot, token);
      }
    }
    this.counters.retired += retired;
    return retired;
  }

  private async sessionFor(
    slots: SessionSlots,
    slot: number,
    stored: StoredSession | null,
    signal?: AbortSignal,
  ): Promise<StoredSession> {
    if (stored && this.isFresh(stored)) return stored;
    if (stored) this.counters.retired += 1;
    try {
      const cookies = await this.login.login(signal);
      const session: StoredSession = {
        id: randomUUID(),
        cookies: cookies.toJSON(),
        createdAt: Date.now(),
        uses: 1,
      };
      await slots.write(slot, session);
      this.counters.logins += 1;
      if (stored || this.droppedSessions > 0) {
        this.counters.relogins += 1;
        this.droppedSessions = Math.max(0, this.droppedSessions - (stored ? 0 : 1));
      }
      return session;
    } catch (error) {
      this.counters.login_failures += 1;
      if (error instanceof ScrapeError && !error.retryable)
        this.logger.error(`Login to the target failed: ${error.message}`);
      throw error;
    }
  }

  private isFresh(session: StoredSession): boolean {
    return (
      Date.now() - session.createdAt < this.config.SESSION_MAX_AGE_MS &&
      session.uses < this.config.SESSION_MAX_USES
    );
  }

  /** Waits for a free slot: woken by local releases, polling for other processes' releases. */
  private async leaseSlot(
    slots: SessionSlots,
    token: string,
    signal: AbortSignal | undefined,
    preferEmpty: boolean,
  ): Promise<LeasedSlot> {
    const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
    let pollMs = 5;
    for (;;) {
      const leased = await slots.lease(token, LEASE_TTL_MS, true, preferEmpty);
      if (leased !== null) return leased;
      if (signal?.aborted)
        throw new ScrapeError('cancelled', 'stopped while waiting for a target session', false);
      if (Date.now() > deadline)
        throw new ScrapeError('target_busy', 'no target session became free', true);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, pollMs + Math.random() * pollMs);
        this.waiters.add(wake);
      });
      pollMs = Math.min(pollMs * 2, 100);
    }
  }
}
